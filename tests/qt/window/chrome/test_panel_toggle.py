"""The tool panel follows what there is to show until the user chooses; the choice is kept."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.core.config.window_state import WindowState
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from tests.qt.offline_window import offline_window


def test_in_chat_mode_with_no_tool_calls_the_panel_stays_out_of_the_way(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    assert window.panel_toggle.auto and window.panel_toggle.choice is None
    assert not window.panel_action.isChecked() and window.tool_panel.isHidden()


def test_once_the_user_chooses_the_panel_no_longer_follows(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    window.panel_action.trigger()  # Ctrl+J
    assert window.tool_panel.isVisible() and window.panel_toggle.choice is True
    window.panel_action.trigger()
    window.panel_toggle.follow()
    assert window.panel_toggle.choice is False and window.tool_panel.isHidden()


def test_a_clicked_tool_marker_shows_the_panel_without_it_counting_as_a_choice(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = offline_window(qtbot, tmp_path)
    window.view.tool_clicked.emit("call-1")
    assert window.tool_panel.isVisible() and window.panel_toggle.auto


def test_a_remembered_choice_comes_back(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    window.panel_toggle.restore(None)
    assert window.panel_toggle.auto
    window.panel_toggle.restore(True)
    assert window.panel_toggle.choice is True and window.tool_panel.isVisible()


def test_agent_mode_shows_the_panel_while_it_follows(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    window.controller.start_new_in(ToolAccess(Mode.AGENT, str(tmp_path)))  # as --agent DIR does
    window.controller.access_changed.emit(window.controller.access())
    assert window.panel_action.isChecked() and window.tool_panel.isVisible()
    window.restore(WindowState(None, 10, 10, 900, 700, False, False))
    window.panel_toggle.follow()
    assert window.tool_panel.isHidden()  # the user's choice, remembered, wins
