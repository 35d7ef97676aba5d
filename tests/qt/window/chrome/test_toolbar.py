"""The toolbar: its order, its labels for screen readers, and what it shows of models, mode, source."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QToolButton
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.catalog.model import plain_models
from desktop_app.ui.window.chrome.toolbar import elide_path
from tests.qt.offline_window import offline_window


def test_left_to_right_the_pickers_the_source_then_the_commands(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    bar = window.toolbar
    shown = []
    for action in bar.actions():
        widget = bar.widgetForAction(action)
        if action.isSeparator():
            shown.append("|")
        elif isinstance(widget, QLabel):
            shown.append(widget.text() or "badge")
        elif widget in (bar.model_picker, bar.effort_picker, bar.mode_picker):
            shown.append(widget.accessibleName())
        elif isinstance(widget, QToolButton):
            shown.append(widget.accessibleName() or widget.text())
        else:
            shown.append("spacer")
    pickers = [" Model: ", "Model", " Effort: ", "Reasoning effort", "|", " Mode: ", "Mode", "Agent folder"]
    assert shown[:10] == [*pickers, "|", "badge"]
    assert shown[10:] == ["spacer", "Tool panel", "Settings", "Menu"]
    labels = {label.text(): label.buddy() for label in bar.findChildren(QLabel) if label.buddy()}
    assert labels == {
        " Model: ": bar.model_picker,
        " Effort: ": bar.effort_picker,
        " Mode: ": bar.mode_picker,
    }
    assert not bar.isMovable()


def test_the_models_offered_are_not_a_pick(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    picker = window.toolbar.model_picker
    with qtbot.assertNotEmitted(picker.currentIndexChanged), qtbot.assertNotEmitted(window.settings_chosen):
        window.toolbar.show_models(plain_models(["gpt-a", "gpt-b"]), "gpt-b")
    assert [picker.itemText(i) for i in range(picker.count())] == ["gpt-a", "gpt-b"]
    assert picker.currentText() == "gpt-b"


def test_agent_mode_shows_its_folder_as_text(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    bar = window.toolbar
    folder = "/home/someone/projects/<b>bold</b>/a/rather/deep/folder"
    bar.show_access(ToolAccess(Mode.AGENT, folder))
    assert bar.mode_picker.currentText() == "Agent"
    assert not bar.folder_button.isHidden()
    assert bar.folder_button.text() == f"in {elide_path(folder, 32)}"
    assert "&lt;b&gt;" in bar.folder_button.toolTip()  # a name from an imported conversation: text
    bar.show_access(ToolAccess())
    assert bar.mode_picker.currentText() == "Chat"
    assert bar.folder_button.isHidden() and bar.folder_button.text() == ""


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
