"""F6's stops: only the panes that show, a waiting request among them."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.qt.offline_window import active_offline_window


def test_f6_goes_round_the_panes_that_show(qtbot: QtBot, tmp_path: Path) -> None:
    window = active_offline_window(qtbot, tmp_path)
    assert window.sidebar is not None
    assert window.panes() == [window.sidebar.list, window.view, window.composer]
    window.panel_action.trigger()
    assert window.panes()[-1] is window.tool_panel.list
    window.composer.setFocus()
    window.menus.next_pane_action.trigger()
    assert window.focusWidget() is window.tool_panel.list
    window.menus.next_pane_action.trigger()
    assert window.focusWidget() is window.sidebar.list  # round again
