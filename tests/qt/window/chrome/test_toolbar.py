"""The toolbar (the source, said once, then the commands) and the composer card's chips (the
models, the mode and folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QToolButton
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.catalog.model import plain_models
from desktop_app.ui.window.chrome.session_chips import elide_path
from tests.qt.offline_window import offline_window


def test_left_to_right_the_source_then_the_commands(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    bar = window.toolbar
    shown = []
    for action in bar.actions():
        widget = bar.widgetForAction(action)
        if isinstance(widget, QLabel):
            shown.append("badge")
        elif isinstance(widget, QToolButton):
            shown.append(widget.accessibleName() or widget.text())
        else:
            shown.append("spacer")
    assert shown == ["badge", "spacer", "Tool panel", "Settings", "Menu"]
    assert not bar.isMovable()


def test_the_pickers_are_chips_in_the_composer_card(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    chips = window.chips
    for chip in chips.chips():
        assert chip.parent() is window.composer_card
    assert window.model_picker is chips.model_picker and window.mode_picker is chips.mode_picker
    names = [c.accessibleName() for c in chips.chips()]
    assert names == [
        "Model:",
        "Model",
        "Reasoning effort:",
        "Reasoning effort",
        "Mode:",
        "Mode",
        "Agent folder",
    ]
    labels = {label.accessibleName(): label.buddy() for label in (chips.model_label, chips.mode_label)}
    assert labels == {"Model:": chips.model_picker, "Mode:": chips.mode_picker}


def test_the_models_offered_are_not_a_pick(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    picker = window.chips.model_picker
    with qtbot.assertNotEmitted(picker.currentIndexChanged), qtbot.assertNotEmitted(window.settings_chosen):
        window.chips.show_models(plain_models(["gpt-a", "gpt-b"]), "gpt-b")
    assert [picker.itemText(i) for i in range(picker.count())] == ["gpt-a", "gpt-b"]
    assert picker.currentText() == "gpt-b"


def test_agent_mode_shows_its_folder_as_text(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    chips = window.chips
    folder = "/home/someone/projects/<b>bold</b>/a/rather/deep/folder"
    chips.show_access(ToolAccess(Mode.AGENT, folder))
    assert chips.mode_picker.currentText() == "Agent"
    assert not chips.folder_button.isHidden()
    assert chips.folder_button.text() == f"in {elide_path(folder, 32)}"
    assert "&lt;b&gt;" in chips.folder_button.toolTip()  # a name from an imported conversation: text
    chips.show_access(ToolAccess())
    assert chips.mode_picker.currentText() == "Chat"
    assert chips.folder_button.isHidden() and chips.folder_button.text() == ""


def test_the_demo_badge_stands_out(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    bar = window.toolbar
    bar.show_source("Demo (scripted replies)", demo=True)
    assert bar.source_badge.text() == "  Demo (scripted replies)  "
    assert "font-weight:600" in bar.source_badge.styleSheet()
    bar.show_source("GitHub Copilot", demo=False)
    assert bar.source_badge.styleSheet() == ""


def test_long_paths_keep_their_end() -> None:
    assert elide_path("/short") == "/short"
    assert elide_path("/a/very/long/path/to/the/project", 12) == "…the/project"
    assert len(elide_path("x" * 100)) == 40
