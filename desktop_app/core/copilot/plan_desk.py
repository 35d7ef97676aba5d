"""A session's Plan and Autopilot modes: the CLI's session mode, its plan, and "Start building".

What the pinned CLI (1.0.102, SDK 1.0.25) does, as probed against it with the scripted model:

- ``session.rpc.mode.set(ModeSetRequest(mode=SessionMode.PLAN | AUTOPILOT | INTERACTIVE))`` switches
  the session's mode until the next switch; the next prompt carries a ``<mode_changed_notice>`` with
  the mode's instructions, and in plan mode each prompt is prefixed ``[[PLAN]]``. ``send(...,
  agent_mode="plan")`` instead applies to that one message only (the next is told "Plan mode is no
  longer active", and ``exit_plan_mode`` then answers "not applicable in the current mode"), so the
  app sets the mode on the session, on every attach (create and resume) and on every switch.
- Every mode offers the model the same tools, ``exit_plan_mode`` among them (``summary``,
  ``recommendedAction``); plan mode tells it to write ``<session-state>/<id>/plan.md`` with the
  ``create``/``edit`` tools (no permission is asked for that file) and then call ``exit_plan_mode``.
- ``session.rpc.plan.read()`` gives the file's content (``exists``, ``content``, ``path``). No
  ``session.plan_changed`` event came when the model wrote it, so the plan is read again after each
  tool call in plan mode (and on that event, should it come).
- ``exit_plan_mode`` calls the session's ``on_exit_plan_mode_request`` handler (``summary``,
  ``planContent``, ``actions`` ["autopilot", "interactive", "exit_only"], ``recommendedAction``) and
  waits for it. ``{"approved": True, "selectedAction": "interactive"}`` makes the CLI switch to
  interactive (``session.mode_changed``) and tell the model "Plan approved! ... Start implementing the
  plan now, in this same response": the turn goes on. Without a handler the SDK approves at once.
- Autopilot keeps the turn going with "You have not yet marked the task as complete" prompts until
  the model calls ``task_complete``; tool calls still go through ``on_permission_request``, so the
  app's permission rules hold there as everywhere.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, Protocol, TypeVar

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.events import ChatEvent, ToolCompleted
from desktop_app.core.vocabulary.plan_events import PlanAsked, PlanChanged, PlanSettled, PlanShown

T = TypeVar("T")

log = logging.getLogger(__name__)
KEEP_PLANNING = "The user wants to keep planning: do not start building yet."


class _Host(Protocol):
    @property
    def ui_loop(self) -> asyncio.AbstractEventLoop | None: ...

    async def call(self, coro: Coroutine[Any, Any, T]) -> T: ...


class PlanSession(Protocol):
    """What the desk needs of its ``ChatSession``."""

    @property
    def host(self) -> _Host: ...

    @property
    def access(self) -> ToolAccess: ...

    @property
    def events(self) -> EventHub[ChatEvent]: ...

    @property
    def sdk_rpc(self) -> Any: ...


class PlanDesk:
    """The plan of one ``ChatSession``: shown as it changes, and the one request to build, answered
    by the user (``answer``) or withdrawn (``withdraw``) so the CLI never waits for nobody."""

    def __init__(self, session: PlanSession) -> None:
        self._session = session
        self._shown: str | None = None
        self._waiting: asyncio.Future[dict[str, Any]] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def waiting(self) -> bool:
        """A request to build waits for the user's answer."""
        return self._waiting is not None and not self._waiting.done()

    async def apply_mode(self, resumed: bool = False) -> None:
        """Put the CLI's session in the conversation's agent mode (after every attach and switch); a
        resumed Chat session back in interactive mode, should it have been left in another."""
        from copilot.generated.rpc import ModeSetRequest
        from copilot.generated.session_events import SessionMode

        session = self._session
        agentic = session.access.mode.agentic
        if not (agentic or resumed) or session.sdk_rpc is None:
            return
        request = ModeSetRequest(mode=SessionMode(session.access.mode.cli_mode))
        try:
            await session.host.call(session.sdk_rpc.mode.set(request))
        except Exception as exc:
            if agentic:
                raise
            log.info("Could not put the session back in interactive mode: %s", describe_error(exc))
        if session.access.mode is Mode.PLAN:
            self._refresh_soon()

    def after(self, event: ChatEvent) -> None:
        """On the app's loop, for every event of the session: read the plan when it may have changed."""
        if isinstance(event, PlanChanged) or (
            isinstance(event, ToolCompleted) and self._session.access.mode is Mode.PLAN
        ):
            self._refresh_soon()

    def _refresh_soon(self) -> None:
        task = asyncio.get_running_loop().create_task(self.refresh())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def refresh(self) -> None:
        rpc = self._session.sdk_rpc
        if rpc is None:
            return
        try:
            plan = await self._session.host.call(rpc.plan.read())
        except Exception as exc:  # the plan is shown again at its next change
            log.info("Could not read the plan: %s", describe_error(exc))
            return
        self._show(str(plan.content or "") if plan.exists else "")

    def _show(self, content: str) -> None:
        if content != self._shown:
            self._shown = content
            self._session.events.publish(PlanShown(content))

    async def on_exit_request(self, request: Any, _context: Any) -> dict[str, Any]:
        """The SDK's ``on_exit_plan_mode_request``, on its thread: the CLI waits until this returns;
        the question goes to the app's loop, where the window asks the user."""
        loop = self._session.host.ui_loop
        assert loop is not None
        asked = asyncio.run_coroutine_threadsafe(
            self._ask(str(request.get("summary") or ""), request.get("planContent")), loop
        )
        try:
            answer: dict[str, Any] = await asyncio.wrap_future(asked)
            return answer
        except asyncio.CancelledError:
            asked.cancel()
            raise

    async def _ask(self, summary: str, content: str | None) -> dict[str, Any]:
        self.withdraw("A newer request replaced this one.")
        if content is not None:
            self._show(content)
        waiting: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting = waiting
        self._session.events.publish(PlanAsked(summary, self._shown or ""))
        try:
            result = await waiting
        finally:
            if self._waiting is waiting:
                self._waiting = None
        self._session.events.publish(PlanSettled(bool(result.get("approved"))))
        return result

    def answer(self, approved: bool, feedback: str = "") -> bool:
        """The user's answer: Start building (the agent goes on in Agent mode) or keep planning."""
        if not self.waiting:
            return False
        assert self._waiting is not None
        if approved:
            self._waiting.set_result({"approved": True, "selectedAction": "interactive"})
        else:
            self._waiting.set_result({"approved": False, "feedback": feedback or KEEP_PLANNING})
        return True

    def withdraw(self, reason: str) -> None:
        """Nobody will answer (a stop, a closed window, a dead CLI): the request is declined."""
        if self.waiting:
            assert self._waiting is not None
            self._waiting.set_result({"approved": False, "feedback": reason})
