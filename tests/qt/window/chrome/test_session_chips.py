"""The mode chip offers Chat, Agent, Plan and Autopilot, each explained in one line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.access import MODE_DESCRIPTIONS, Mode, ToolAccess
from desktop_app.ui.window.chrome.session_chips import SessionChips


def test_the_mode_chip_has_four_modes_each_with_its_line(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    chips = SessionChips(parent)
    picker = chips.mode_picker
    items = [(picker.itemText(i), picker.itemData(i)) for i in range(picker.count())]
    assert items == [("Chat", "chat"), ("Agent", "agent"), ("Plan", "plan"), ("Autopilot", "autopilot")]
    for i, mode in enumerate(Mode):
        line = picker.itemData(i, Qt.ItemDataRole.ToolTipRole)
        assert line == MODE_DESCRIPTIONS[mode] and "\n" not in line


def test_plan_and_autopilot_show_their_folder_and_say_what_they_do(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    chips = SessionChips(parent)
    chips.show_access(ToolAccess(Mode.AUTOPILOT, "/work/project"))
    assert chips.mode_picker.currentText() == "Autopilot"
    assert chips.folder_button.isVisibleTo(parent) and chips.folder_button.text() == "in /work/project"
    assert chips.mode_picker.toolTip().startswith(MODE_DESCRIPTIONS[Mode.AUTOPILOT])
    assert "Autopilot mode works in /work/project" in chips.folder_button.toolTip()
    chips.show_access(ToolAccess())
    assert not chips.folder_button.isVisibleTo(parent)


def test_the_mode_chip_is_as_wide_as_the_mode_it_shows(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    chips = SessionChips(parent)
    chips.show_access(ToolAccess())
    chat = chips.mode_picker.minimumSizeHint().width()
    chips.show_access(ToolAccess(Mode.AUTOPILOT, "/work"))
    assert chips.mode_picker.minimumSizeHint().width() > chat  # Autopilot widens it only when chosen
