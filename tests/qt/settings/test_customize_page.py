"""Settings → Customize: what the session reports is shown, and what the user changes is kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.config.customization import Customization
from desktop_app.core.vocabulary.customization import InstructionInfo, SessionCustomization, SkillInfo
from desktop_app.ui.settings.customize_page import NO_SESSION, CustomizePage
from tests.conftest import wait_until

pytestmark = pytest.mark.asyncio

REPO = ".github/copilot-instructions.md"
FOUND = SessionCustomization(
    instructions=(InstructionInfo(REPO, REPO, "repository"),),
    skills=(SkillInfo("greet", "Greets", "project", True), SkillInfo("lint", "Lints", "user", True)),
)


@dataclass
class FakeCustomizing:
    saved: Customization = field(default_factory=Customization)
    found: SessionCustomization = FOUND
    kept: list[Customization] = field(default_factory=list)
    reloaded: bool = False

    async def read(self) -> SessionCustomization:
        return self.found

    def save(self, customization: Customization) -> None:
        self.kept.append(customization)
        self.saved = customization

    async def reload(self) -> None:
        self.reloaded = True


def page_for(qtbot: QtBot, customizing: Any) -> CustomizePage:
    page = CustomizePage(customizing)
    qtbot.addWidget(page)
    page.load()
    return page


async def test_it_lists_the_sources_and_skills_and_keeps_what_was_changed(qtbot: QtBot) -> None:
    customizing = FakeCustomizing(Customization("Be brief.", ("old-skill", "lint"), ("/a",), {"c1": "x"}))
    page = page_for(qtbot, customizing)
    await wait_until(lambda: page.skills.count() == 2)
    assert page.instructions.item(0).text() == REPO  # its label is its path
    assert page.own.toPlainText() == "Be brief."
    states = [page.skills.item(i).checkState() for i in range(2)]
    assert states == [Qt.CheckState.Checked, Qt.CheckState.Unchecked]  # lint was switched off
    assert not page.changed

    page.skills.item(0).setCheckState(Qt.CheckState.Unchecked)
    page.skills.item(1).setCheckState(Qt.CheckState.Checked)
    page.own.setPlainText("  Be very brief.  ")
    page.add_folder("/b")
    page.add_folder("/b")  # once
    page.folders.item(0).setSelected(True)
    page.remove_button.click()
    assert page.changed
    page.save()
    await wait_until(lambda: customizing.reloaded)
    # a skill the session did not list stays off; the agents chosen are kept as they were
    assert customizing.kept == [Customization("Be very brief.", ("old-skill", "greet"), ("/b",), {"c1": "x"})]


async def test_without_an_agent_session_it_says_where_to_look(qtbot: QtBot) -> None:
    page = page_for(qtbot, FakeCustomizing(found=SessionCustomization()))
    await wait_until(lambda: page.status.text() == "")
    assert page.instructions.item(0).text() == NO_SESSION
    assert page.skills.count() == 0
    page.save()  # nothing changed: nothing saved
    assert not page.changed
