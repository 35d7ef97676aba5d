"""A window comes back where it was, as big, maximized or not, with the tool panel as chosen."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.core.config.window_state import WindowState
from tests.qt.offline_window import offline_window


def test_the_state_saved_is_the_state_restored(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path, ("Alpha plans",))
    store = window.controller.store
    assert store is not None
    window.controller.conversation = store.list_conversations()[0]
    window.restore(WindowState(None, 40, 50, 900, 640, False, True))
    qtbot.waitUntil(lambda: window.geometry().width() == 900)
    state = window.window_state()
    assert state.conversation_id == window.controller.conversation.id
    assert (state.width, state.height, state.maximized, state.tool_panel) == (900, 640, False, True)
    assert window.window_geometry.state() == state


def test_a_window_that_follows_its_tool_panel_saves_no_choice(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    assert window.window_state().tool_panel is None
    assert window.window_state().conversation_id is None


def test_a_maximized_window_keeps_its_normal_size_for_later(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    window.restore(WindowState(None, 20, 30, 800, 600, True, None))
    qtbot.waitUntil(window.isMaximized)
    state = window.window_state()
    assert state.maximized and (state.width, state.height) == (800, 600)
