"""The app's one Copilot CLI process, and the chat sessions it runs (through github-copilot-sdk).

Nothing here knows about Qt. The SDK runs on its own loop in its own thread (``sdk_thread``): SDK
events are mapped to ``ChatEvent``s there and published, in batches, on each session's ``EventHub``
on the app's loop (``session``); the UI, the metrics, the store and the tool panel subscribe to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from desktop_app.core.config.customization import Customization, session_keywords
from desktop_app.core.config.mcp_config import McpConfig
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.copilot.account.desk import AccountDesk
from desktop_app.core.copilot.byok.demo_model import make_request_handler
from desktop_app.core.copilot.cli_discovery import CliLocation, CliNotFoundError, find_cli
from desktop_app.core.copilot.model_info import copilot_catalog
from desktop_app.core.copilot.sdk_thread import EventPump, SdkLoop
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.copilot.session_options import Compaction, session_options
from desktop_app.core.copilot.usage.keeper import QuotaKeeper
from desktop_app.core.permissions.rules import RuleBook
from desktop_app.core.vocabulary.access import ToolAccess
from desktop_app.core.vocabulary.catalog.model import CatalogModel
from desktop_app.core.vocabulary.copilot_errors import CliDiedError, CopilotUnavailableError, describe_error
from desktop_app.core.vocabulary.targets import ChatTarget

log = logging.getLogger(__name__)
T = TypeVar("T")

RESTART_DELAYS = (0.2, 1.0, 3.0)  # seconds before each automatic restart attempt after a crash
WATCH_INTERVAL = 1.0


class ServiceState(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    READY = "ready"
    FAILED = "failed"  # could not start: see ``error``
    EXITED = "exited"  # the CLI died; the next send restarts it


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
        self.customization = Customization()  # instructions, skills, folders (customization.json)
        self.accounts = AccountDesk(self)  # who is signed in; signing in, switching, signing out
        self.usage = QuotaKeeper(self)  # the premium quota, freshest first, for every window
        self.accounts.changed.subscribe(self.usage.account_changed)

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
        if self._client is not None and self.state is ServiceState.READY:
            await self.accounts.close()
        await self._discard_client()
        self.sdk.stop()
        self.state = ServiceState.STOPPED

    async def _discard_client(self, force: bool = False) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        process = getattr(client, "_cli_process", None)
        if force:  # no orderly exit: the CLI writes its in-memory settings back on one
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.sdk.run(client.force_stop()), timeout=10)
            close_process_pipes(process)
            return
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

    async def restart_cli(self, while_stopped: Callable[[], object] = lambda: None) -> None:
        """A fresh CLI process, every open session resumed on it; ``while_stopped`` runs between the
        two (the old process is killed, not stopped: an orderly exit writes its settings back)."""
        async with self._ensure_lock:
            self.state = ServiceState.STOPPED  # the crash watch must not take this for a crash
            await self._discard_client(force=True)
            while_stopped()
            await self.start()
        for session in list(self._sessions):
            try:
                await session.reattach_if_stale()
            except Exception as exc:
                log.warning("Could not resume session %s: %s", session.session_id, describe_error(exc))

    @property
    def client(self) -> Any:
        if self._client is None or self.state is not ServiceState.READY:
            raise CopilotUnavailableError(self.error or "The Copilot CLI is not running.")
        return self._client

    # -- account and models --------------------------------------------------------------------
    async def auth_status(self) -> AuthStatus:
        """Signed in? (``GetAuthStatusResponse`` spells its fields in camelCase: reading
        ``is_authenticated`` from it said "signed out" to every signed-in user.)"""
        status = await self.sdk.run(self.client.get_auth_status())
        return AuthStatus(
            bool(status.isAuthenticated),
            str(status.login or ""),
            str(status.statusMessage or ""),
        )

    @property
    def cli_config_file(self) -> str:
        """Where the CLI keeps a sign-in when there is no keychain (for the consent question)."""
        home = self.paths.copilot_home
        return str(home / "config.json") if home is not None else "~/.copilot/config.json"

    async def copilot_models(self) -> list[CatalogModel]:
        """The signed-in account's models, with their cost, efforts and availability."""
        return copilot_catalog(await self.sdk.run(self.client.list_models()))

    # -- sessions -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """The CLI is up (a session that finds it down restarts it: ``ensure_running``)."""
        return self.state is ServiceState.READY

    def app_tools(self) -> list[Any]:
        if self._tools is None:
            # Imported here: the tools (the calculator, time zones) cost ~10 ms at start-up.
            from desktop_app.core.tools.app_tools import build_tools

            self._tools = build_tools()
        return self._tools

    def session_options(
        self, target: ChatTarget, access: ToolAccess
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """A session's options as of now (mcp.json is read at each start), and the MCP servers left
        out with why."""
        options = session_options(target, access, self.compaction, self.app_tools())
        left_out: list[tuple[str, str]] = []
        if access.mode.agentic:  # MCP servers add tools to the agent modes only
            servers, left_out = self.mcp.sdk_servers(os.environ, access.working_directory)
            if servers:
                options["mcp_servers"] = servers
            home = self.paths.copilot_home or Path.home() / ".copilot"
            cwd = access.working_directory
            options.update(session_keywords(self.customization, self.paths.config_dir, cwd, home))
        elif self.customization.user_instructions.strip():  # Chat mode's prompt is the app's own
            text = self.customization.user_instructions.strip()
            options["system_message"]["content"] += f"\n\nThe user's own instructions:\n{text}"
        return options, left_out

    async def open_session(
        self,
        target: ChatTarget,
        session_id: str | None = None,
        access: ToolAccess | None = None,
        conversation_id: Callable[[], str | None] = lambda: None,
        agent: str = "",
    ) -> ChatSession:
        """A new session, or ``session_id`` resumed (raises if the CLI no longer has it)."""
        await self.ensure_running()
        session = ChatSession(self, target, access or ToolAccess(), conversation_id, agent)
        await session.attach(session_id)
        self._sessions.add(session)
        self._ensure_watch()
        return session

    def forget(self, session: ChatSession) -> None:
        """A closed session: a restart no longer resumes it."""
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
