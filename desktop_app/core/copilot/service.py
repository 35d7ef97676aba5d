"""The app's one Copilot CLI process, and the chat sessions it runs (through github-copilot-sdk).

Nothing here knows about Qt. The SDK runs on its own loop in its own thread (``sdk_thread``): SDK
events are mapped to ``ChatEvent``s there and published, in batches, on each session's ``EventHub``
on the app's loop; the UI, the metrics, the store and the tool panel subscribe to that hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from desktop_app.core.config.mcp_config import McpConfig
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import Source
from desktop_app.core.copilot.cli_discovery import CliLocation, CliNotFoundError, find_cli
from desktop_app.core.copilot.demo_model import DEMO_BASE_URL, DEMO_MODEL, make_request_handler
from desktop_app.core.copilot.event_mapping import from_sdk
from desktop_app.core.copilot.sdk_thread import EventPump, SdkLoop
from desktop_app.core.permissions.broker import PermissionBroker
from desktop_app.core.permissions.rules import RuleBook
from desktop_app.core.tools.app_tools import APP_TOOL_NAMES, build_tools
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.copilot_errors import CliDiedError, CopilotUnavailableError, describe_error
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.events import (
    ChatEvent,
    CliExited,
    Idle,
    McpServerChanged,
    SessionFailed,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

RESTART_DELAYS = (0.2, 1.0, 3.0)  # seconds before each automatic restart attempt after a crash
CHAT_SYSTEM_MESSAGE = (
    "You are GitHub Copilot in a desktop chat window. Answer clearly and concisely in GitHub-flavoured "
    "markdown; put code in fenced code blocks with a language tag."
)
WATCH_INTERVAL = 1.0


class ServiceState(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"  # could not start: see ``error``
    EXITED = "exited"  # the CLI died; the next send restarts it


@dataclass(frozen=True)
class ChatTarget:
    """Where one session's answers come from."""

    source: Source
    model: str = ""
    base_url: str = ""
    api_key: str | None = field(default=None, repr=False)
    context_tokens: int = 0  # the endpoint model's context window (0: the CLI's default)

    def provider(self) -> dict[str, Any] | None:
        """The BYOK provider config, passed on every create and resume (the CLI does not keep it)."""
        if self.source is Source.DEMO:
            return {"type": "openai", "base_url": DEMO_BASE_URL, "api_key": "demo"}
        if self.source is Source.ENDPOINT:
            provider: dict[str, Any] = {"type": "openai", "base_url": self.base_url.rstrip("/")}
            if self.api_key:
                provider["api_key"] = self.api_key
            if self.context_tokens:
                provider["max_prompt_tokens"] = self.context_tokens
            return provider
        return None

    @property
    def model_name(self) -> str:
        return DEMO_MODEL if self.source is Source.DEMO else self.model


@dataclass(frozen=True)
class Compaction:
    """Infinite sessions: older turns are summarised as the context window fills."""

    enabled: bool = True
    start: float = 0.80
    limit: float = 0.95

    def options(self) -> dict[str, Any]:
        if not self.enabled:
            return {"enabled": False}
        return {
            "enabled": True,
            "background_compaction_threshold": self.start,
            "buffer_exhaustion_threshold": self.limit,
        }


@dataclass(frozen=True)
class AuthStatus:
    authenticated: bool
    login: str
    message: str


class CopilotService:
    """Owns the ``CopilotClient``: start, stop, restart after a crash, and open sessions."""

    def __init__(
        self,
        paths: AppPaths,
        *,
        cli_path: str | None = None,
        demo: bool = False,
        rules: RuleBook | None = None,
    ) -> None:
        self.cli_path = cli_path
        self.rules = rules or RuleBook()
        self.cli: CliLocation | None = None
        self.paths = paths
        self.demo = demo
        self.state = ServiceState.STOPPED
        self.error = ""
        self.generation = 0  # bumped on every (re)start; sessions re-attach when it changes
        self._client: Any = None
        self.sdk = SdkLoop()  # every SDK call runs there; see sdk_thread.py for why
        self.pump: EventPump | None = None  # SDK thread -> this loop
        self.ui_loop: asyncio.AbstractEventLoop | None = None
        self._start_lock = asyncio.Lock()
        self._ensure_lock = asyncio.Lock()
        self._sessions: set[ChatSession] = set()
        self._watch_task: asyncio.Task[None] | None = None
        self._restart_task: asyncio.Task[None] | None = None
        self._tools: list[Any] | None = None
        self.restarts = 0  # automatic restarts after a crash, for the log and the tests
        self.cli_version: str | None = None  # for the About dialog and bug reports
        self.compaction = Compaction()
        self.mcp = McpConfig()  # MCP servers for Agent mode (mcp.json); read at each session start

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        """Start the CLI (idempotent); raises ``CopilotUnavailableError`` with a readable message."""
        async with self._start_lock:
            if self.state is ServiceState.READY:
                return
            self.state = ServiceState.STARTING
            try:
                self.cli = find_cli(self.cli_path)
            except CliNotFoundError as exc:
                self.state = ServiceState.FAILED
                self.error = str(exc)
                raise CopilotUnavailableError(self.error) from exc
            self.ui_loop = asyncio.get_running_loop()
            self.pump = EventPump(self.ui_loop)
            try:
                copilot = await self._import_sdk()
                self._client = await self.sdk.run(self._start_client(copilot))
            except Exception as exc:
                self.state = ServiceState.FAILED
                self.error = f"Could not start the Copilot CLI ({self.cli.path}): {describe_error(exc)}"
                log.warning("%s", self.error)
                raise CopilotUnavailableError(self.error) from exc
            self.generation += 1
            self.state = ServiceState.READY
            self.error = ""
            try:
                status = await asyncio.wait_for(self.sdk.run(self._client.get_status()), timeout=10)
                self.cli_version = str(getattr(status, "version", "") or "") or None
            except Exception as exc:  # only the About dialog needs it
                log.info("Could not read the CLI's version: %s", describe_error(exc))
            log.info("Copilot CLI started from %s (%s)", self.cli.path, self.cli.origin)

    async def _import_sdk(self) -> Any:
        # ``import copilot`` takes ~0.85 s: do it off the GUI thread.
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, importlib.import_module, "copilot")

    async def _start_client(self, copilot: Any) -> Any:
        """On the SDK's loop: the client is built, started and (on failure) stopped there."""
        client = self._build_client(copilot)
        try:
            await client.start()
        except BaseException:
            process = getattr(client, "_cli_process", None)
            with contextlib.suppress(BaseException):
                await client.force_stop()
            close_process_pipes(process)
            raise
        return client

    async def call(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await an SDK coroutine (``client.list_sessions()``, say) on the SDK's loop."""
        return await self.sdk.run(coro)

    def _build_client(self, copilot: Any) -> Any:
        assert self.cli is not None
        connection = copilot.RuntimeConnection.for_stdio(path=str(self.cli.path))
        env = dict(os.environ)
        env["COPILOT_SKIP_CLI_DOWNLOAD"] = "1"
        if self.paths.cli_home is not None:
            env["HOME"] = str(self.paths.cli_home)
            env["XDG_CACHE_HOME"] = str(self.paths.cli_home / ".cache")
            env["XDG_CONFIG_HOME"] = str(self.paths.cli_home / ".config")
            env["XDG_STATE_HOME"] = str(self.paths.cli_home / ".local" / "state")
        connection.env = env
        kwargs: dict[str, Any] = {"connection": connection, "log_level": "warning"}
        if self.paths.copilot_home is not None:
            kwargs["base_directory"] = str(self.paths.copilot_home)
        if self.demo:
            kwargs["request_handler"] = make_request_handler()
        return copilot.CopilotClient(**kwargs)

    async def stop(self) -> None:
        """Stop the CLI; sessions stay on disk and can be resumed."""
        for task in (self._watch_task, self._restart_task):
            if task is not None:
                task.cancel()
        self._watch_task = self._restart_task = None
        for session in list(self._sessions):
            await session.close()
        await self._discard_client()
        self.sdk.stop()
        self.state = ServiceState.STOPPED

    async def _discard_client(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        process = getattr(client, "_cli_process", None)
        try:
            await asyncio.wait_for(self.sdk.run(client.stop()), timeout=10)
        except Exception as exc:  # an already dead CLI makes stop() raise; force it down
            log.info("CLI stop: %s", describe_error(exc))
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.sdk.run(client.force_stop()), timeout=10)
        close_process_pipes(process)

    async def ensure_running(self) -> None:
        """Restart the CLI if it died (there is no auto-restart in the SDK)."""
        async with self._ensure_lock:  # a send and the crash watch may both ask at once
            if self.state in (ServiceState.EXITED, ServiceState.STOPPED, ServiceState.FAILED):
                await self._discard_client()
                self.state = ServiceState.STOPPED
                await self.start()

    @property
    def client(self) -> Any:
        if self._client is None or self.state is not ServiceState.READY:
            raise CopilotUnavailableError(self.error or "The Copilot CLI is not running.")
        return self._client

    # -- account and models --------------------------------------------------------------------
    async def auth_status(self) -> AuthStatus:
        status = await self.sdk.run(self.client.get_auth_status())
        return AuthStatus(
            bool(getattr(status, "is_authenticated", False)),
            str(getattr(status, "login", "") or ""),
            str(getattr(status, "status_message", "") or ""),
        )

    async def copilot_models(self) -> list[str]:
        models = await self.sdk.run(self.client.list_models())
        return [str(m.id) for m in models]

    # -- sessions -----------------------------------------------------------------------------
    def app_tools(self) -> list[Any]:
        if self._tools is None:
            self._tools = build_tools()
        return self._tools

    def _session_options(self, target: ChatTarget, access: ToolAccess) -> dict[str, Any]:
        options: dict[str, Any] = {
            "streaming": True,
            "tools": self.app_tools(),
            "infinite_sessions": self.compaction.options(),
        }
        if access.mode is Mode.AGENT:
            # The CLI's own agent prompt and all its built-in tools, working in the chosen folder.
            options["working_directory"] = access.working_directory
        else:
            options["available_tools"] = list(APP_TOOL_NAMES)
            options["system_message"] = {"mode": "replace", "content": CHAT_SYSTEM_MESSAGE}
        if target.model_name:
            options["model"] = target.model_name
        provider = target.provider()
        if provider is not None:
            options["provider"] = provider
        return options

    async def open_session(
        self,
        target: ChatTarget,
        session_id: str | None = None,
        access: ToolAccess | None = None,
        conversation_id: Callable[[], str | None] = lambda: None,
    ) -> ChatSession:
        """A new session, or ``session_id`` resumed (raises if the CLI no longer has it)."""
        await self.ensure_running()
        session = ChatSession(self, target, access or ToolAccess(), conversation_id)
        await session.attach(session_id)
        self._sessions.add(session)
        self._ensure_watch()
        return session

    def _forget(self, session: ChatSession) -> None:
        self._sessions.discard(session)

    # -- crash watch ----------------------------------------------------------------------------
    def _ensure_watch(self) -> None:
        if self._watch_task is None or self._watch_task.done():
            self._watch_task = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        """Notice a CLI that died, streaming or idle: the SDK sends no event for it.

        Polling the process is free; a ping would leave a reply future behind whenever the watch is
        cancelled mid-call, which the SDK's reader thread then fails to resolve.
        """
        while True:
            await asyncio.sleep(WATCH_INTERVAL)
            if self.state is not ServiceState.READY:
                continue
            process = getattr(self._client, "_cli_process", None)
            code = process.poll() if process is not None else None
            if code is not None:
                signal_name = f"signal {-code}" if code < 0 else f"exit code {code}"
                self.mark_exited(CliDiedError(f"The Copilot CLI stopped unexpectedly ({signal_name})."))

    def mark_exited(self, exc: BaseException) -> None:
        if self.state is not ServiceState.READY:
            return
        self.state = ServiceState.EXITED
        self.error = describe_error(exc)
        log.warning("Copilot CLI exited: %s", exc)
        for session in list(self._sessions):
            session.cli_exited(self.error)
        if self._sessions and (self._restart_task is None or self._restart_task.done()):
            self._restart_task = asyncio.get_running_loop().create_task(self._restart())

    async def _restart(self) -> None:
        """Start a new CLI at once and resume every open session on it, so nothing waits for a send."""
        for delay in RESTART_DELAYS:
            await asyncio.sleep(delay)
            if self.state is ServiceState.READY:
                break
            try:
                await self.ensure_running()
            except CopilotUnavailableError as exc:
                log.warning("Restarting the Copilot CLI failed: %s", exc)
                continue
            self.restarts += 1
            log.info(
                "Copilot CLI restarted (%d so far); resuming %d sessions", self.restarts, len(self._sessions)
            )
            break
        else:
            return  # the next send tries again
        for session in list(self._sessions):
            try:
                await session.reattach_if_stale()
            except Exception as exc:  # one lost session must not keep the others down
                log.warning("Could not resume session %s: %s", session.session_id, describe_error(exc))


def close_process_pipes(process: Any) -> None:
    """The SDK (1.0.25) reaps the CLI but leaves its stdout/stderr pipes open: close them."""
    for name in ("stdin", "stdout", "stderr"):
        stream = getattr(process, name, None)
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.close()


class ChatSession:
    """One conversation with Copilot. ``events`` publishes ``ChatEvent``s to every subscriber."""

    def __init__(
        self,
        service: CopilotService,
        target: ChatTarget,
        access: ToolAccess | None = None,
        conversation_id: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.service = service
        self.target = target
        self.access = access or ToolAccess()
        self.events: EventHub[ChatEvent] = EventHub("session")
        self.permissions = PermissionBroker(service.rules, self.events.publish, conversation_id)
        self.session_id: str | None = None
        self.busy = False
        self._sdk_session: Any = None
        self._generation = -1
        self._attach_lock = asyncio.Lock()

    async def attach(self, session_id: str | None) -> None:
        """Create the SDK session, or resume ``session_id`` on the current CLI process."""
        client = self.service.client
        options = self._options()
        if session_id is None:
            sdk_session = await self.service.sdk.run(client.create_session(**options))
        else:
            sdk_session = await self.service.sdk.run(client.resume_session(session_id, **options))
        self._sdk_session = sdk_session
        self.session_id = str(sdk_session.session_id)
        self._generation = self.service.generation
        for name, reason in self._mcp_left_out:  # after the caller subscribes, as the SDK's events are
            asyncio.get_running_loop().call_soon(self._deliver, McpServerChanged(name, "off", reason))

    def _options(self) -> dict[str, Any]:
        options = self.service._session_options(self.target, self.access)
        self._mcp_left_out: list[tuple[str, str]] = []
        if self.access.mode is Mode.AGENT:  # MCP servers add tools to Agent mode only
            servers, self._mcp_left_out = self.service.mcp.sdk_servers(
                os.environ, self.access.working_directory
            )
            if servers:
                options["mcp_servers"] = servers
        options["on_event"] = self._on_sdk_event
        options["on_permission_request"] = self._on_permission_request
        return options

    async def _on_permission_request(self, request: Any, invocation: Any) -> Any:
        """On the SDK's thread while the CLI waits: the tool does not start until this returns.

        The question goes to the app's loop (where the window asks the user) and this awaits it.
        """
        from copilot.rpc import PermissionDecisionApproveOnce, PermissionDecisionReject

        assert self.service.ui_loop is not None
        asked = asyncio.run_coroutine_threadsafe(self.permissions.decide(request), self.service.ui_loop)
        try:
            _prompt, answer = await asyncio.wrap_future(asked)
        except asyncio.CancelledError:
            asked.cancel()
            raise
        if answer.allowed:
            return PermissionDecisionApproveOnce()
        return PermissionDecisionReject(feedback=answer.feedback())

    def _on_sdk_event(self, event: Any) -> None:
        """On the SDK's thread: map the event there, deliver it on the app's loop."""
        chat_event = from_sdk(event)
        if chat_event is not None and self.service.pump is not None:
            self.service.pump.put(self._deliver, chat_event)

    def _deliver(self, chat_event: ChatEvent) -> None:
        if isinstance(chat_event, Idle | SessionFailed):
            self.busy = False
        self.events.publish(chat_event)

    async def send(self, prompt: str) -> None:
        """Send a prompt; the reply arrives as events. Restarts a dead CLI and resumes first."""
        if self._generation != self.service.generation or self.service.state is not ServiceState.READY:
            await self.service.ensure_running()
            await self.reattach_if_stale()
        self.busy = True
        try:
            await self.service.sdk.run(self._sdk_session.send(prompt))
        except Exception as exc:
            self.busy = False
            if type(exc).__name__ == "ProcessExitedError":
                self.service.mark_exited(exc)
            raise CopilotUnavailableError(describe_error(exc)) from exc

    async def reattach_if_stale(self) -> None:
        """After a CLI restart: resume on the new process (once, whoever asks first)."""
        async with self._attach_lock:
            if self._generation != self.service.generation and self._sdk_session is not None:
                await self._reattach()

    async def _reattach(self) -> None:
        previous = self.session_id
        try:
            await self.attach(previous)
        except Exception as exc:
            if previous is None:
                raise
            # The CLI no longer has it (e.g. it died before the first turn was saved): start afresh.
            log.info("Could not resume session %s (%s); starting a new one", previous, exc)
            await self.attach(None)

    async def abort(self) -> None:
        self.permissions.deny_all("The user stopped the reply.")
        if self._sdk_session is None:
            return
        try:
            await self.service.sdk.run(self._sdk_session.abort())
        except Exception as exc:
            self.busy = False
            if type(exc).__name__ == "ProcessExitedError":
                self.service.mark_exited(exc)
            else:
                raise

    def cli_exited(self, message: str) -> None:
        self.permissions.deny_all("The Copilot CLI stopped.")
        was_busy, self.busy = self.busy, False
        if was_busy:
            self.events.publish(CliExited(message))

    async def set_target(self, target: ChatTarget, access: ToolAccess | None = None) -> None:
        """Switch model, endpoint or mode: resume the same session with the new options."""
        self.target = target
        if access is not None:
            self.access = access
        if self.session_id is not None and self.service.state is ServiceState.READY:
            async with self._attach_lock:
                await self._reattach()

    async def close(self) -> None:
        self.permissions.deny_all("The window was closed.")
        self.service._forget(self)
        session, self._sdk_session = self._sdk_session, None
        if session is not None and self.service.state is ServiceState.READY:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.service.sdk.run(session.disconnect()), timeout=5)
