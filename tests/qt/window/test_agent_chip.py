"""The agent chip: in Agent mode only, it names the agent and the instructions, and its menu chooses."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.customization import AgentInfo, InstructionInfo, SessionCustomization
from desktop_app.ui.window.agent_chip import AgentChip, chip_text
from tests.conftest import wait_until

FOUND = SessionCustomization(
    instructions=(InstructionInfo("a", "/a", "user"), InstructionInfo("b", "b", "repository")),
    agents=(AgentInfo("reviewer", "Code reviewer", "Reviews", "project"), AgentInfo("pirate", "", "", "")),
)


class FakeCustomizing:
    def __init__(self) -> None:
        self.agent = ""

    async def offer(self) -> SessionCustomization:
        return replace(FOUND, current_agent=self.agent)

    async def choose_agent(self, name: str) -> None:
        self.agent = name


class FakeController(QObject):
    access_changed = Signal(object)
    conversation_opened = Signal(object)
    reply_finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.mode = ToolAccess()
        self.customizing = FakeCustomizing()

    def access(self) -> ToolAccess:
        return self.mode


def test_the_text_names_the_agent_and_counts_the_instructions() -> None:
    assert chip_text(FOUND, "") == "Agent: default · 2 instructions"
    assert chip_text(FOUND, "reviewer") == "Agent: Code reviewer · 2 instructions"
    one = SessionCustomization(instructions=FOUND.instructions[:1])
    assert chip_text(one, "x") == "Agent: x · 1 instruction"
    assert chip_text(SessionCustomization(), "") == "Agent: default"


@pytest.mark.asyncio
async def test_it_shows_in_agent_mode_and_its_menu_chooses_the_agent(qtbot: QtBot, tmp_path: Any) -> None:
    controller = FakeController()
    chip = AgentChip(controller)  # type: ignore[arg-type]
    qtbot.addWidget(chip)
    chip.show()
    controller.access_changed.emit(controller.mode)
    assert not chip.isVisible()  # Chat mode

    controller.mode = ToolAccess(Mode.AGENT, str(tmp_path))
    controller.access_changed.emit(controller.mode)
    await wait_until(lambda: chip.text() == "Agent: default · 2 instructions")
    assert chip.isVisible()
    assert "/a" in chip.toolTip()
    chip._fill_menu()
    actions = chip.menu_.actions()
    assert [a.text() for a in actions] == ["Default agent", "Code reviewer", "pirate"]
    assert actions[0].isChecked()
    actions[1].trigger()
    await wait_until(lambda: chip.text().startswith("Agent: Code reviewer"))
    assert controller.customizing.agent == "reviewer"
    chip._fill_menu()
    assert [a.isChecked() for a in chip.menu_.actions()] == [False, True, False]
