"""The window never widens by itself, tiles to half a 1280 px screen, and bars leave the side panels be."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.permission_requests import PermissionPrompt, RequestKind
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window

HALF_SCREEN = 620  # half of 1280 px, less a window frame


def long_prompt() -> PermissionPrompt:
    command = "echo " + "x" * 2000
    return PermissionPrompt(
        "p1",
        RequestKind.SHELL,
        "c1",
        "Run a shell command " + "t" * 300,
        command,
        intention="i" * 400,
        warning="This writes outside the folder " + "w" * 500,
        commands=(command,),
    )


def show_every_bar(window: ChatWindow) -> None:
    """A permission card with a 2000-character command, a long share link, status texts, a banner."""
    window.permission_card.ask(long_prompt())
    window.share_bar.show_url("http://127.0.0.1:4321/s/" + "t" * 400)
    window.status.show_source("Endpoint http://" + "h" * 400)
    window.status.show_mcp("MCP " + "e" * 300, "details")
    window.status.show_context(123_456, 128_000)
    window.status.showMessage("m" * 600)
    window.banner.show_message(
        "b" * 2000, "error", [("Try again", lambda: None), ("Open settings", lambda: None)]
    )
    window.pending_bar.show_refusal("r" * 1500)
    QApplication.processEvents()


def test_long_texts_in_every_bar_leave_the_window_as_wide_as_it_was(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    window.resize(900, 700)
    qtbot.waitUntil(lambda: window.width() == 900)
    show_every_bar(window)
    qtbot.wait(50)  # posted layout requests
    assert window.width() == 900
    assert window.minimumSizeHint().width() <= HALF_SCREEN
    assert window.permission_card.width() <= window.width()
    assert window.share_bar.geometry().right() <= window.splitter.widget(1).width()


def test_the_minimum_tiles_to_half_a_screen_with_the_tool_panel_open(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path, ("First",))
    window.panel_action.setChecked(True)
    qtbot.waitUntil(window.tool_panel.isVisible)
    assert window.minimumSizeHint().width() <= HALF_SCREEN
    show_every_bar(window)
    assert window.minimumSizeHint().width() <= HALF_SCREEN  # content never raises it
    window.resize(HALF_SCREEN, 700)
    qtbot.waitUntil(lambda: window.width() == HALF_SCREEN)


def test_a_bar_appearing_leaves_the_side_panels_their_widths(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path, ("First",))
    window.panel_action.setChecked(True)
    qtbot.waitUntil(window.tool_panel.isVisible)
    window.resize(900, 700)  # room for the panels as they are and the conversation's minimum
    qtbot.waitUntil(lambda: window.width() == 900)
    sidebar, panel = window.sidebar, window.tool_panel
    assert sidebar is not None
    qtbot.waitUntil(lambda: panel.width() > 0)
    before = (sidebar.width(), panel.width())
    show_every_bar(window)
    qtbot.wait(50)
    assert (sidebar.width(), panel.width()) == before
    window.permission_card.clear()
    window.banner.clear()
    window.share_bar.show_url("")
    qtbot.wait(50)
    assert (sidebar.width(), panel.width()) == before


def test_the_centre_gives_way_first_and_the_side_panels_come_back(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path, ("First",))
    window.panel_action.setChecked(True)
    qtbot.waitUntil(window.tool_panel.isVisible)
    window.resize(1240, 780)
    qtbot.waitUntil(lambda: window.width() == 1240)
    sidebar, panel = window.sidebar, window.tool_panel
    assert sidebar is not None
    qtbot.waitUntil(lambda: panel.width() > 0)
    wide = (sidebar.width(), panel.width())
    window.resize(800, 780)
    qtbot.waitUntil(lambda: window.width() == 800)
    assert (sidebar.width(), panel.width()) == wide  # the conversation got narrower, not the panels
    window.resize(HALF_SCREEN, 780)
    qtbot.waitUntil(lambda: window.width() == HALF_SCREEN)
    window.resize(1240, 780)
    qtbot.waitUntil(lambda: window.width() == 1240)
    assert (sidebar.width(), panel.width()) == wide  # squeezed at half a screen, and back again


def test_the_conversation_stays_at_its_end_as_bars_come_and_go(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    for n in range(40):
        window.view.add_user_message(f"message {n} " + "words " * 30)
    view, bar = window.view, window.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    assert view.pinned
    show_every_bar(window)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())  # the view got shorter: still at the end
    assert view.pinned
    window.permission_card.clear()
    window.banner.clear()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    assert view.pinned
