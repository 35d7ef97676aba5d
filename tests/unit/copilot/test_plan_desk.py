"""The plan desk: the CLI's mode set on attach, the plan read again when it may have changed, and the
request to build answered once, or declined when nobody can answer it."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest

from desktop_app.core.copilot.event_mapping import from_sdk
from desktop_app.core.copilot.plan_desk import KEEP_PLANNING, PlanDesk
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.events import ChatEvent, ToolCompleted
from desktop_app.core.vocabulary.plan_events import (
    CliModeChanged,
    PlanAsked,
    PlanChanged,
    PlanSettled,
    PlanShown,
)

pytestmark = pytest.mark.asyncio
T = TypeVar("T")


class Host:
    def __init__(self) -> None:
        self.ui_loop = asyncio.get_running_loop()

    async def call(self, coro: Coroutine[Any, Any, T]) -> T:
        return await coro


@dataclass
class Rpc:
    plan_text: str | None = None
    modes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.plan = SimpleNamespace(read=self._read)
        self.mode = SimpleNamespace(set=self._set)

    async def _read(self) -> Any:
        return SimpleNamespace(exists=self.plan_text is not None, content=self.plan_text, path="plan.md")

    async def _set(self, request: Any) -> None:
        self.modes.append(request.mode.value)


class Session:
    def __init__(self, mode: Mode) -> None:
        self.host = Host()
        self.access = ToolAccess(mode, "/work")
        self.events: EventHub[ChatEvent] = EventHub("test")
        self.sdk_rpc = Rpc()
        self.seen: list[ChatEvent] = []
        self.events.subscribe(self.seen.append)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_the_mode_is_set_on_the_cli_and_the_plan_shown_as_it_changes() -> None:
    session = Session(Mode.PLAN)
    desk = PlanDesk(session)
    session.sdk_rpc.plan_text = "# Draft"
    await desk.apply_mode()
    await settle()
    assert session.sdk_rpc.modes == ["plan"]
    desk.after(ToolCompleted("call_1", True, "", ""))  # the same plan: nothing new to show
    session.sdk_rpc.plan_text = "# Revised"
    desk.after(PlanChanged())
    await settle()
    assert [e for e in session.seen if isinstance(e, PlanShown)] == [
        PlanShown("# Draft"),
        PlanShown("# Revised"),
    ]


async def test_outside_plan_mode_a_tool_call_reads_no_plan() -> None:
    session = Session(Mode.AUTOPILOT)
    desk = PlanDesk(session)
    await desk.apply_mode()
    desk.after(ToolCompleted("call_1", True, "", ""))
    await settle()
    assert session.sdk_rpc.modes == ["autopilot"]
    assert session.seen == []


async def test_start_building_approves_and_keep_planning_declines_with_what_to_change() -> None:
    session = Session(Mode.PLAN)
    desk = PlanDesk(session)
    request = {"summary": "- do it", "planContent": "# Plan", "actions": [], "recommendedAction": "autopilot"}
    answer = asyncio.ensure_future(desk.on_exit_request(request, {}))
    await settle()
    assert desk.waiting
    assert session.seen[-1] == PlanAsked("- do it", "# Plan")
    assert desk.answer(True)
    assert await answer == {"approved": True, "selectedAction": "interactive"}
    assert session.seen[-1] == PlanSettled(True)
    assert not desk.answer(True)  # answered once
    again = asyncio.ensure_future(desk.on_exit_request(request, {}))
    await settle()
    desk.answer(False)
    assert await again == {"approved": False, "feedback": KEEP_PLANNING}


async def test_a_request_nobody_can_answer_is_declined() -> None:
    session = Session(Mode.PLAN)
    desk = PlanDesk(session)
    answer = asyncio.ensure_future(desk.on_exit_request({"summary": "s"}, {}))
    await settle()
    desk.withdraw("The user stopped the reply.")
    assert await answer == {"approved": False, "feedback": "The user stopped the reply."}
    assert session.seen[-1] == PlanSettled(False)


async def test_the_clis_mode_and_plan_events_are_mapped() -> None:
    changed = SimpleNamespace(
        type="session.mode_changed", data=SimpleNamespace(new_mode=SimpleNamespace(value="plan"))
    )
    assert from_sdk(changed) == CliModeChanged("plan")
    plan = SimpleNamespace(type="session.plan_changed", data=SimpleNamespace(operation="update"))
    assert from_sdk(plan) == PlanChanged()
