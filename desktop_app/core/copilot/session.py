"""One conversation with Copilot: the SDK session, its events on the app's loop, its permission requests.

A ``ChatSession`` lives as long as a window shows one conversation. It survives the CLI: after a
restart it resumes itself on the new process (``reattach_if_stale``). It knows the service only
through ``SessionHost``, the few things it needs from whoever runs the CLI (``CopilotService``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from desktop_app.core.copilot.event_mapping import from_sdk
from desktop_app.core.copilot.plan_desk import PlanDesk
from desktop_app.core.copilot.questions import QuestionBroker, sdk_response
from desktop_app.core.copilot.sdk_thread import EventPump
from desktop_app.core.copilot.usage.keeper import QuotaKeeper
from desktop_app.core.permissions.broker import PermissionBroker
from desktop_app.core.permissions.rules import RuleBook
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.copilot_errors import CopilotUnavailableError, describe_error
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.events import ChatEvent, CliExited, Idle, McpServerChanged, SessionFailed
from desktop_app.core.vocabulary.plan_events import CliModeChanged
from desktop_app.core.vocabulary.targets import ChatTarget, Source

if TYPE_CHECKING:  # imported where a rewind runs: start-up does not pay for them (~2 ms)
    from desktop_app.core.vocabulary.checkpoints import RewindOutcome, RewindPreview

log = logging.getLogger(__name__)
T = TypeVar("T")


class SessionHost(Protocol):
    """What a session needs from the service that runs the CLI."""

    rules: RuleBook  # the kept permission answers, shared by every session
    generation: int  # bumped on every (re)start of the CLI
    ui_loop: asyncio.AbstractEventLoop | None  # the app's loop, where permission questions are asked
    pump: EventPump | None  # SDK thread -> the app's loop
    usage: QuotaKeeper  # the premium quota: a refusal for it is worded with its reset date

    @property
    def client(self) -> Any: ...

    @property
    def running(self) -> bool: ...

    async def call(self, coro: Coroutine[Any, Any, T]) -> T: ...

    async def ensure_running(self) -> None: ...

    def mark_exited(self, exc: BaseException) -> None: ...

    def session_options(
        self, target: ChatTarget, access: ToolAccess
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]: ...

    def forget(self, session: ChatSession) -> None: ...


def _only_the_model_changed(previous: ChatTarget, target: ChatTarget) -> bool:
    """Another Copilot model or effort, nothing else: the session can switch without a resume."""
    same = replace(previous, model=target.model, reasoning_effort=target.reasoning_effort) == target
    return same and target.source is Source.COPILOT and bool(target.model)


def _only_the_mode_changed(before: ToolAccess, after: ToolAccess) -> bool:
    """Agent, Plan or Autopilot in the same folder: the same options, another CLI mode."""
    same_folder = before.working_directory == after.working_directory
    return before.mode.agentic and after.mode.agentic and same_folder


class ChatSession:
    """One conversation with Copilot. ``events`` publishes ``ChatEvent``s to every subscriber."""

    def __init__(
        self,
        host: SessionHost,
        target: ChatTarget,
        access: ToolAccess | None = None,
        conversation_id: Callable[[], str | None] = lambda: None,
        agent: str = "",
    ) -> None:
        self.host = host
        self.agent = agent  # the custom agent it uses ("": the default), Agent mode only
        self.target = target
        self.access = access or ToolAccess()
        self.events: EventHub[ChatEvent] = EventHub("session")
        self.permissions = PermissionBroker(host.rules, self.events.publish, conversation_id)
        self.questions = QuestionBroker(self.events.publish)
        self.plan = PlanDesk(self)  # Plan and Autopilot: the CLI's mode, the plan, "Start building"
        self.session_id: str | None = None
        self.busy = False
        self._sdk_session: Any = None
        self._generation = -1
        self._attach_lock = asyncio.Lock()

    @property
    def stale(self) -> bool:
        """True until attached to the CLI that runs now (never attached, or the CLI restarted)."""
        return self._generation != self.host.generation

    async def attach(self, session_id: str | None) -> None:
        """Create the SDK session, or resume ``session_id`` on the current CLI process."""
        client = self.host.client
        options, mcp_left_out = self.host.session_options(self.target, self.access)
        options["on_event"] = self._on_sdk_event
        options["on_permission_request"] = self._on_permission_request
        options["on_user_input_request"] = self._on_user_input_request
        options["on_elicitation_request"] = self._on_elicitation_request
        options["on_exit_plan_mode_request"] = self.plan.on_exit_request
        if self.agent and self.access.mode.agentic:
            options["agent"] = self.agent
        try:
            sdk_session = await self._create_or_resume(client, session_id, options)
        except Exception as exc:
            if "agent" not in options:
                raise
            # CLI 1.0.102 refuses the whole session for an agent it cannot find (its file is gone).
            log.info("Custom agent %r unavailable (%s); using the default", self.agent, describe_error(exc))
            self.agent = ""
            del options["agent"]
            sdk_session = await self._create_or_resume(client, session_id, options)
        self._sdk_session = sdk_session
        self.session_id = str(sdk_session.session_id)
        self._generation = self.host.generation
        if session_id is not None:
            await self._align_effort()
        await self.plan.apply_mode(resumed=session_id is not None)
        for name, reason in mcp_left_out:  # after the caller subscribes, as the SDK's events are
            asyncio.get_running_loop().call_soon(self._deliver, McpServerChanged(name, "off", reason))

    async def _create_or_resume(self, client: Any, session_id: str | None, options: dict[str, Any]) -> Any:
        if session_id is None:
            return await self.host.call(client.create_session(**options))
        return await self.host.call(client.resume_session(session_id, **options))

    async def _on_permission_request(self, request: Any, invocation: Any) -> Any:
        """On the SDK's thread while the CLI waits: the tool does not start until this returns.

        The question goes to the app's loop (where the window asks the user) and this awaits it.
        """
        from copilot.rpc import PermissionDecisionApproveOnce, PermissionDecisionReject

        assert self.host.ui_loop is not None
        asked = asyncio.run_coroutine_threadsafe(self.permissions.decide(request), self.host.ui_loop)
        try:
            _prompt, answer = await asyncio.wrap_future(asked)
        except asyncio.CancelledError:
            asked.cancel()
            raise
        if answer.allowed:
            return PermissionDecisionApproveOnce()
        return PermissionDecisionReject(feedback=answer.feedback())

    async def _on_user_input_request(self, request: Any, invocation: Any) -> dict[str, Any]:
        """On the SDK's thread: the ``ask_user`` tool waits for this, as a permission request does."""
        return sdk_response(await self._on_ui_loop(self.questions.ask(request)))

    async def _on_elicitation_request(self, context: Any) -> dict[str, Any]:
        """On the SDK's thread: an MCP server's form, asked field by field on the question card."""
        from desktop_app.core.copilot.elicitation import fill_in

        return await self._on_ui_loop(fill_in(context, self.questions.ask))

    async def _on_ui_loop(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the app's loop (where the window asks the user) and await it from here."""
        assert self.host.ui_loop is not None
        asked = asyncio.run_coroutine_threadsafe(coro, self.host.ui_loop)
        try:
            return await asyncio.wrap_future(asked)
        except asyncio.CancelledError:
            asked.cancel()
            raise

    def _on_sdk_event(self, event: Any) -> None:
        """On the SDK's thread: map the event there, deliver it on the app's loop."""
        chat_event = from_sdk(event)
        if chat_event is not None and self.host.pump is not None:
            self.host.pump.put(self._deliver, chat_event)

    @property
    def sdk_rpc(self) -> Any:
        """The SDK session's ``rpc`` (quota, usage) while attached to the running CLI, else None."""
        if self._sdk_session is None or self.stale or not self.host.running:
            return None
        return self._sdk_session.rpc

    def _deliver(self, chat_event: ChatEvent) -> None:
        chat_event = self.host.usage.explain(chat_event, self)
        if isinstance(chat_event, Idle | SessionFailed):
            self.busy = False
        if isinstance(chat_event, CliModeChanged) and self.access.mode.agentic:  # the CLI's own switch
            self.access = replace(self.access, mode=Mode.of_cli(chat_event.mode))
        self.events.publish(chat_event)
        self.plan.after(chat_event)

    async def send(
        self, prompt: str, attachments: list[dict[str, Any]] | None = None, steer: bool = False
    ) -> None:
        """Send a prompt (with the SDK's ``attachments``, see ``attachment_payload``); the reply
        arrives as events. Restarts a dead CLI and resumes first.

        ``steer`` sends it into the reply that runs (``mode="immediate"``): CLI 1.0.102 reads it before
        its next model call, in the same turn, and says so with a ``user.message`` event; a stop drops it.
        """
        if self.stale or not self.host.running:
            await self.host.ensure_running()
            await self.reattach_if_stale()
        self.busy = True
        try:
            options: dict[str, Any] = {"mode": "immediate"} if steer else {}
            if attachments:
                options["attachments"] = attachments
            await self.host.call(self._sdk_session.send(prompt, **options))
        except Exception as exc:
            self.busy = False
            if type(exc).__name__ == "ProcessExitedError":
                self.host.mark_exited(exc)
            raise CopilotUnavailableError(describe_error(exc)) from exc

    async def prompt_events(self) -> list[tuple[str, str]]:
        """The session's prompts as the CLI keeps them: (``user.message`` event id, text), in order."""
        await self.reattach_if_stale()
        events = await self.host.call(self._sdk_session.get_events())
        return [
            (str(event.id), str(getattr(event.data, "content", "") or ""))
            for event in events
            if getattr(event.type, "value", event.type) == "user.message"
        ]

    async def fork(self, before_event: str | None, name: str) -> str:
        """A new session with this one's history up to (not including) ``before_event``, or all of
        it (the SDK's ``sessions.fork``); its id. This session goes on unchanged. ``name``: the new
        one's title (the CLI's own would be "<title> (fork)", which it then gives the conversation)."""
        from copilot.rpc import SessionsForkRequest

        assert self.session_id is not None
        name = " ".join(name.replace('"', "'").split())[:100]  # CLI 1.0.102 refuses a double quote
        request = SessionsForkRequest(session_id=self.session_id, to_event_id=before_event, name=name or None)
        result = await self.host.call(self.host.client.rpc.sessions.fork(request))
        return str(result.session_id)

    async def preview_rewind(self, before_event: str) -> RewindPreview:
        """What restoring the checkpoint before ``before_event`` (a ``user.message``) would change."""
        from copilot.rpc import HistoryPreviewRewindRequest

        from desktop_app.core.vocabulary.checkpoints import FileChange, RewindPreview

        rpc = self._sdk_session.rpc.history
        result = await self.host.call(rpc.preview_rewind(HistoryPreviewRewindRequest(event_id=before_event)))
        files = [
            FileChange(str(f.path), str(getattr(f.change_type, "value", f.change_type)), f.lines_added or 0,
                       f.lines_removed or 0)
            for f in (result.files or [])
        ]  # fmt: skip
        reason = getattr(result.reason, "value", result.reason) or ""
        return RewindPreview(bool(result.available), files, str(reason))

    async def rewind(self, before_event: str, files: bool) -> RewindOutcome:
        """Take this session back to just before ``before_event`` (and its files, if ``files``): the
        later events are gone from it (``history.rewind``)."""
        from copilot.rpc import HistoryRewindMode, HistoryRewindRequest

        from desktop_app.core.vocabulary.checkpoints import REWOUND, RewindOutcome

        mode = HistoryRewindMode.CONVERSATION_AND_FILES if files else HistoryRewindMode.CONVERSATION
        rpc = self._sdk_session.rpc.history
        result = await self.host.call(rpc.rewind(HistoryRewindRequest(event_id=before_event, mode=mode)))
        skipped = [
            (str(s.path), str(getattr(s.reason, "value", s.reason))) for s in (result.skipped_files or [])
        ]
        outcome = str(getattr(result.outcome, "value", result.outcome))
        rewound = outcome in REWOUND  # the conversation went back (a cleanup may have failed after)
        error = "" if rewound else (result.error or outcome.replace("-", " "))
        return RewindOutcome([str(p) for p in (result.restored_files or [])], skipped, error)

    async def reattach_if_stale(self) -> None:
        """After a CLI restart: resume on the new process (once, whoever asks first)."""
        async with self._attach_lock:
            if self.stale and self._sdk_session is not None:
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
        self.questions.cancel_all("The user stopped the reply.")
        self.plan.withdraw("The user stopped the reply.")
        if self._sdk_session is None:
            return
        try:
            await self.host.call(self._sdk_session.abort())
        except Exception as exc:
            self.busy = False
            if type(exc).__name__ == "ProcessExitedError":
                self.host.mark_exited(exc)
            else:
                raise

    def cli_exited(self, message: str) -> None:
        """The CLI died: nothing waiting may run, and a reply in progress is over."""
        self.permissions.deny_all("The Copilot CLI stopped.")
        self.questions.cancel_all("The Copilot CLI stopped.")
        self.plan.withdraw("The Copilot CLI stopped.")
        was_busy, self.busy = self.busy, False
        if was_busy:
            self.events.publish(CliExited(message))

    async def _align_effort(self) -> None:
        """A resumed session keeps the reasoning effort it last had, whatever model it resumes with
        (and a model without that level then fails every send): make it this target's.

        ``set_model`` without an effort keeps the old one too (see ``_switch_model``).
        """
        if self.target.source is not Source.COPILOT:
            return
        try:
            current = await self.host.call(self._sdk_session.rpc.model.get_current())
            model = self.target.model or str(getattr(current, "model_id", "") or "")
            if model and (getattr(current, "reasoning_effort", None) or "") != self.target.reasoning_effort:
                await self._switch_model(model)
        except Exception as exc:  # the session is there; a send that cannot go says why itself
            log.info(
                "Could not set the reasoning effort of session %s: %s", self.session_id, describe_error(exc)
            )

    async def _switch_model(self, model: str) -> None:
        """``set_model`` with this target's effort; no effort is sent as an explicit null, which
        clears the level the session had (CLI 1.0.102: a missing one keeps it, on a resumed session
        and when the model stays; an empty one is refused for a model the CLI knows). The SDK's
        ``set_model`` drops a None, so the request goes as the SDK sends its own explicit nulls."""
        effort = self.target.reasoning_effort
        if effort:
            await self.host.call(self._sdk_session.set_model(model, reasoning_effort=effort))
            return
        params = {"sessionId": self.session_id, "modelId": model, "reasoningEffort": None}
        await self.host.call(self._sdk_session._client.request("session.model.switchTo", params))

    async def reload(self) -> None:
        """Resume the same session with the options as they are now (the customization changed)."""
        if self.session_id is not None and self.host.running:
            async with self._attach_lock:
                await self._reattach()

    async def set_target(self, target: ChatTarget, access: ToolAccess | None = None) -> None:
        """Switch model, effort, endpoint or mode. Another Copilot model or effort is switched to in
        the session (``set_model``); anything else resumes the same session with the new options."""
        previous, self.target = self.target, target
        before = self.access
        if access is not None:
            self.access = access
        same_access = self.access == before
        if self.session_id is None or not self.host.running or (same_access and previous == target):
            return  # nothing changed (the CLI left plan mode itself, say)
        async with self._attach_lock:
            if not self.stale and previous == target and _only_the_mode_changed(before, self.access):
                await self.plan.apply_mode()
            elif same_access and not self.stale and _only_the_model_changed(previous, target):
                await self._switch_model(target.model)
            else:
                await self._reattach()

    async def close(self) -> None:
        self.permissions.deny_all("The window was closed.")
        self.questions.cancel_all("The window was closed.")
        self.plan.withdraw("The window was closed.")
        self.host.forget(self)
        session, self._sdk_session = self._sdk_session, None
        if session is not None and self.host.running:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.host.call(session.disconnect()), timeout=5)
