"""The ☰ menu: every command once, each with a mnemonic of its own, off when it cannot work; F10."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from desktop_app import APP_NAME
from desktop_app.core.config.credentials import FileSecretStore
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import Settings
from desktop_app.core.copilot.service import CopilotService
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.window.about_dialog import AboutDialog
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import active_offline_window, offline_window

NO_GRAB = "This plugin does not support grabbing the keyboard"  # offscreen: menus still work

ITEMS = [
    "&New conversation",
    "New &window",
    "&Search conversations…",
    "&Find in conversation…",
    None,
    "&Export this conversation…",
    "Export &all conversations…",
    "&Import conversations…",
    "Import Copilot &CLI sessions",
    "&Tool panel",
    "S&hare live in a browser",
    None,
    "Sign in with GitH&ub…",
    "Sign &out",
    "Settin&gs…",
    None,
    f"A&bout {APP_NAME}",
    "&Quit",
]
NEED_A_STORE = {
    "&Search conversations…",
    "&Export this conversation…",
    "Export &all conversations…",
    "&Import conversations…",
    "Import Copilot &CLI sessions",
}


@pytest.fixture(autouse=True)
def close_popups() -> Iterator[None]:
    yield
    for popup in QApplication.topLevelWidgets():
        if isinstance(popup, QMenu | AboutDialog) and popup.isVisible():
            popup.close()


def storeless_window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    """A window with no conversation store (the store could not be opened)."""
    paths = AppPaths.under(tmp_path)
    controller = ChatController(CopilotService(paths), Settings(), FileSecretStore(tmp_path / "key"))
    window = ChatWindow(controller)
    qtbot.addWidget(window)
    return window


def items(menu: QMenu) -> list[QAction]:
    return [a for a in menu.actions() if not a.isSeparator()]


def mnemonic(text: str) -> str:
    return text.split("&", 1)[1][0].lower()


def test_the_menu_lists_each_command_once_with_a_mnemonic_of_its_own(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    menu = window.menus.menu
    assert [None if a.isSeparator() else a.text() for a in menu.actions()] == ITEMS
    letters = [mnemonic(a.text()) for a in items(menu)]
    assert len(set(letters)) == len(letters), letters
    assert window.toolbar.menu_button.menu() is menu
    assert window.menus.panel_action.isCheckable() and window.menus.share_action.isCheckable()


def test_with_a_store_every_item_is_on(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    # Sign out shows only when signed in (a hidden action is disabled too)
    assert [a.text() for a in items(window.menus.menu) if not a.isEnabled()] == ["Sign &out"]
    assert not window.menus.sign_out_action.isVisible()


def test_without_a_store_search_export_and_import_are_off(qtbot: QtBot, tmp_path: Path) -> None:
    window = storeless_window(qtbot, tmp_path)
    off = {a.text() for a in items(window.menus.menu) if not a.isEnabled() and a.isVisible()}
    assert off == NEED_A_STORE
    window.exchange.export_all()  # even called directly: no dialog without a store
    window.search.open_search()
    assert window.search.dialog is None


def test_the_window_keys_work_anywhere_in_it(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    m = window.menus
    keys = {
        m.new_action: "Ctrl+T",
        m.new_window_action: "Ctrl+N",
        m.search_action: "Ctrl+K",
        m.find_action: "Ctrl+F",
        m.panel_action: "Ctrl+J",
        m.menu_key_action: "F10",
        m.next_pane_action: "F6",
        m.quit_action: "Ctrl+Q",
    }
    for action, key in keys.items():
        assert action.shortcut().toString() == key, action.text()
        assert action in window.actions()  # a window action: its key works in every pane
    assert "Ctrl+," in [k.toString() for k in m.settings_action.shortcuts()]
    assert m.settings_action in window.toolbar.actions()


@pytest.mark.qt_log_ignore(NO_GRAB)
def test_f10_opens_the_menu_at_its_first_item_that_can_run(qtbot: QtBot, tmp_path: Path) -> None:
    window = active_offline_window(qtbot, tmp_path)
    menu = window.menus.menu
    window.menus.menu_key_action.trigger()
    qtbot.waitUntil(menu.isVisible)
    assert menu.activeAction() is window.menus.new_action
    menu.close()
    window.menus.new_action.setEnabled(False)
    window.menus.new_window_action.setEnabled(False)
    window.menus.open()
    qtbot.waitUntil(menu.isVisible)
    assert menu.activeAction() is window.menus.search_action


def test_the_items_run_their_commands(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    m = window.menus
    with qtbot.waitSignal(window.window_requested) as requested:
        m.new_window_action.trigger()
    assert requested.args == [None]
    with qtbot.waitSignal(window.quit_requested):
        m.quit_action.trigger()
    m.about_action.trigger()
    assert any(isinstance(w, AboutDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    m.share_action.trigger()
    try:
        assert window.live_share.server is not None and m.share_action.isChecked()
    finally:
        window.live_share.stop()
    assert not m.share_action.isChecked()
