"""Plan mode end to end, the real CLI and the scripted model: the plan shows as the model writes and
revises it, and Start building answers the CLI's exit-plan request, which then goes on building in
Agent mode; Keep planning declines it; /plan chooses Plan mode and sends its request; Autopilot still
asks before a tool runs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.access import Mode
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.e2e.test_chat_e2e import start_asking
from tests.e2e.test_tools_e2e import agent_window, shell, wait_for_card
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio


@contextlib.asynccontextmanager
async def plan_window(
    qtbot: QtBot, server: ModelServer, data_dir: Path, folder: Path, mode: Mode = Mode.PLAN
) -> AsyncIterator[ChatWindow]:
    async with agent_window(qtbot, server, data_dir, folder) as window:
        picker = window.mode_picker
        picker.setCurrentIndex(picker.findData(mode.value))
        picker.activated.emit(picker.currentIndex())  # what choosing it in the chip's menu does
        await wait_until(lambda: window.controller.access().mode is mode, timeout=30)
        yield window


def last_user_texts(server: ModelServer) -> str:
    messages = server.chat_requests()[-1]["body"]["messages"]
    return "\n".join(str(m.get("content")) for m in messages if m["role"] in ("user", "tool"))


async def test_plan_mode_shows_the_plan_and_start_building_proceeds(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with plan_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        panel = window.plan_panel
        shown: list[str] = []
        window.controller.bridge.plan_event.connect(lambda event: shown.append(type(event).__name__))
        finished = await start_asking(qtbot, window, "PLANFLOW make hello.txt")
        await wait_until(lambda: panel.asking, timeout=60)  # the CLI waits for the answer
        assert panel.isVisible()
        assert "Say done" in panel.document.toPlainText()  # the revised plan, rendered
        assert "Write hello.txt" in panel.document.toPlainText()
        assert "write hello.txt" in panel.summary.text()
        assert shown.count("PlanShown") >= 2  # the draft, then the revision: shown as it changed
        assert "[[PLAN]] PLANFLOW" in last_user_texts(model_server)  # the prompt went in plan mode
        assert not finished.done()
        panel.start_button.click()
        await finished
        assert "BUILDING: Plan approved!" in window.view.toPlainText()  # the model was told, and went on
        await wait_until(lambda: window.controller.access().mode is Mode.AGENT, timeout=10)
        assert window.mode_picker.currentData() == Mode.AGENT.value
        assert window.controller.access().working_directory == str(tmp_path)
        assert not panel.isVisible()
        assert "Plan mode is no longer active" in last_user_texts(model_server)


async def test_keep_planning_declines_and_stays_in_plan_mode(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with plan_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        panel = window.plan_panel
        finished = await start_asking(qtbot, window, "PLANFLOW make hello.txt")
        await wait_until(lambda: panel.asking, timeout=60)
        panel.feedback.setText("Use a README instead")
        panel.keep_button.click()
        await finished
        assert "Use a README instead" in last_user_texts(model_server)
        assert window.controller.access().mode is Mode.PLAN
        assert panel.isVisible() and not panel.asking


async def test_slash_plan_chooses_plan_mode_and_sends_its_request(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with agent_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        finished = await start_asking(qtbot, window, "/plan PLANFLOW make hello.txt")
        await wait_until(lambda: window.plan_panel.asking, timeout=60)
        assert window.controller.access().mode is Mode.PLAN
        assert "[[PLAN]] PLANFLOW make hello.txt" in last_user_texts(model_server)
        window.controller.stop()  # a stop answers the waiting request: the CLI is not left waiting
        await finished
        assert not window.plan_panel.asking
        assert not window.controller.busy


async def test_autopilot_goes_on_but_still_asks_before_a_tool_runs(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with plan_window(qtbot, model_server, shared_data_dir, tmp_path, Mode.AUTOPILOT) as window:
        finished = await start_asking(qtbot, window, shell("touch autopilot.txt"))
        await wait_for_card(window)  # no allow-all: the request waits for the user like in Agent mode
        assert "autopilot_mode" in last_user_texts(model_server)
        window.permission_card.deny.click()
        await finished
        assert not (tmp_path / "autopilot.txt").exists()
        assert window.controller.access().mode is Mode.AUTOPILOT
