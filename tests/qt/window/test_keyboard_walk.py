"""The whole app without a mouse: every dialog is opened from the keyboard, Tab reaches each of its
controls, and Esc closes it; the sidebar's actions have keys of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QRadioButton,
    QTabBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.ui.settings.settings_dialog import SettingsDialog
from desktop_app.ui.sidebar.search_dialog import SearchDialog
from desktop_app.ui.window.about_dialog import AboutDialog
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import INTERACTIVE, active_offline_window


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[ChatWindow]:
    chat = active_offline_window(qtbot, tmp_path, ("Alpha plans", "Beta notes"))
    yield chat
    for popup in QApplication.topLevelWidgets():
        if isinstance(popup, QMenu) and popup.isVisible():
            popup.close()


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focus(), key, modifier)


def keyboard_controls(root: QWidget) -> set[QWidget]:
    """What a keyboard user must be able to reach in ``root``: visible, enabled, takes Tab focus."""
    found: set[QWidget] = set()
    for kind in (*INTERACTIVE, QTabBar):
        for child in root.findChildren(kind):
            if child.window() is not root or not child.isVisibleTo(root) or not child.isEnabled():
                continue
            if isinstance(child, QLineEdit) and isinstance(child.parent(), QComboBox | QAbstractSpinBox):
                continue  # focus goes to the box, which hands it to its line edit
            if child.focusProxy() is not None:
                child = child.focusProxy()
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus:
                found.add(child)
    return found


def unreached(expected: set[QWidget], seen: set[QWidget]) -> set[QWidget]:
    """``expected`` minus ``seen``; an exclusive group of radio buttons is one stop (arrows move in it)."""
    missing = expected - seen
    for radio in [w for w in missing if isinstance(w, QRadioButton)]:
        group = radio.group()
        mates = group.buttons() if group is not None else radio.parentWidget().findChildren(QRadioButton)
        if any(mate in seen for mate in mates):
            missing.discard(radio)
    return missing


def tab_walk(qtbot: QtBot, root: QWidget) -> set[QWidget]:
    """Everything Tab visits in ``root``, once around."""
    seen: list[QWidget] = [focus()]
    for _ in range(120):
        press(qtbot, Qt.Key.Key_Tab)
        if focus() is seen[0]:
            break
        seen.append(focus())
    else:
        raise AssertionError(f"Tab never came back to {seen[0]!r}")
    assert all(w.window() is root for w in seen), "Tab left the dialog"
    return set(seen)


def names(widgets: set[QWidget]) -> list[str]:
    return sorted(f"{type(w).__name__}:{w.accessibleName() or w.objectName()}" for w in widgets)


def assert_walkable(qtbot: QtBot, dialog: QWidget) -> None:
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.isActiveWindow())
    missing = unreached(keyboard_controls(dialog), tab_walk(qtbot, dialog))
    assert not missing, f"Tab never reaches {names(missing)}"


def assert_escape_closes(qtbot: QtBot, dialog: QWidget) -> None:
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and focus().window() is dialog)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def open_dialog(kind: type[QWidget]) -> QWidget:
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(dialogs) == 1, dialogs
    return dialogs[0]


def test_the_window_itself_is_one_tab_cycle_with_every_control(window: ChatWindow, qtbot: QtBot) -> None:
    # Everything that can appear at once: a notice with buttons, the share bar, the tool panel.
    window.banner.show_message("Something failed", "error", [("Retry", lambda: None)])
    window.toggle_share()
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    try:
        window.composer.setFocus()
        seen = tab_walk(qtbot, window)
    finally:
        window.live_share.stop()
    missing = unreached(keyboard_controls(window), seen)
    assert not missing, f"Tab never reaches {names(missing)}"
    retry = window.banner.button("Retry")
    bar = window.share_bar
    for control in (retry, bar.lan_box, bar.copy_button, bar.stop_button, window.tool_panel.list):
        assert control in seen
    # Toolbar buttons take no focus (as on every desktop); each has a key of its own instead.
    for button in window.findChildren(QToolButton):
        if button.isVisibleTo(window) and not button.focusPolicy() & Qt.FocusPolicy.TabFocus:
            action = button.defaultAction()
            assert action is not None and not action.shortcut().isEmpty(), button.text()


def test_settings_every_tab_from_ctrl_comma(window: ChatWindow, qtbot: QtBot) -> None:
    window.composer.setFocus()
    press(qtbot, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = open_dialog(SettingsDialog)
    assert isinstance(dialog, SettingsDialog)
    for index in range(dialog.tabs.count()):
        dialog.tabs.tabBar().setFocus()
        if index:
            press(qtbot, Qt.Key.Key_Right)  # the tab bar's own keys change the page
        assert dialog.tabs.currentIndex() == index
        assert_walkable(qtbot, dialog)
    assert_escape_closes(qtbot, dialog)


def test_search_from_ctrl_k_arrows_pick_a_result_and_enter_opens_it(window: ChatWindow, qtbot: QtBot) -> None:
    window.composer.setFocus()
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = open_dialog(SearchDialog)
    assert isinstance(dialog, SearchDialog)
    qtbot.waitUntil(lambda: focus() is dialog.query)
    qtbot.keyClicks(dialog.query, "hello")
    qtbot.waitUntil(lambda: dialog.results.count() == 2)
    assert_walkable(qtbot, dialog)
    dialog.query.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    chosen = dialog.results.currentItem()
    assert chosen is not None
    dialog.message_chosen.disconnect(window.search.show_message)  # opening it needs the asyncio loop
    with qtbot.waitSignal(dialog.message_chosen):
        press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())


NO_GRAB = "This plugin does not support grabbing the keyboard"  # offscreen: menus still work


@pytest.mark.qt_log_ignore(NO_GRAB)
def test_f10_opens_the_menu_and_its_items_have_mnemonics(window: ChatWindow, qtbot: QtBot) -> None:
    window.composer.setFocus()
    press(qtbot, Qt.Key.Key_F10)
    menu = window.toolbar.menu_button.menu()
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    assert menu.activeAction() is not None  # arrows and Enter work at once
    items = [a for a in menu.actions() if not a.isSeparator()]
    keys = [a.text().split("&", 1)[1][0].lower() for a in items if "&" in a.text()]
    assert len(keys) == len(items), [a.text() for a in items if "&" not in a.text()]
    assert len(set(keys)) == len(keys), keys  # each letter picks one item
    qtbot.keyClick(menu, Qt.Key.Key_B)  # About
    dialog = open_dialog(AboutDialog)
    qtbot.waitUntil(lambda: not menu.isVisible())
    assert_walkable(qtbot, dialog)
    assert_escape_closes(qtbot, dialog)


@pytest.mark.qt_log_ignore(NO_GRAB)
def test_sidebar_keys_rename_menu_and_trash(window: ChatWindow, qtbot: QtBot) -> None:
    assert window.sidebar is not None
    listing = window.sidebar.list
    first = listing.model().index(1, 0)  # row 0 is the "Today" header
    listing.setFocus()
    listing.setCurrentIndex(first)
    press(qtbot, Qt.Key.Key_F2)  # the title is edited in place
    qtbot.waitUntil(lambda: isinstance(focus(), QLineEdit) and focus().parent() is listing.viewport())
    line = focus()
    assert isinstance(line, QLineEdit)
    line.selectAll()
    qtbot.keyClicks(line, "Renamed by keys")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focus() is listing)
    qtbot.waitUntil(lambda: "Renamed by keys" in [listing.model().index(r, 0).data() for r in range(3)])

    listing.setCurrentIndex(first)
    press(qtbot, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert [a.text() for a in menu.actions() if a.text()][:2] == ["Open in &new window", "&Rename"]
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)

    listing.setFocus()
    listing.setCurrentIndex(first)
    doomed = listing.currentIndex().data()
    window.sidebar.trashed.disconnect(window.trash.trashed)  # the Undo notice needs the asyncio loop
    with qtbot.waitSignal(window.sidebar.trashed):
        press(qtbot, Qt.Key.Key_Delete)
    model = window.sidebar.model  # one row per conversation (the list adds headers)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert doomed not in [model.index(r, 0).data() for r in range(model.rowCount())]


def test_the_lan_warning_is_walkable_and_escape_refuses(window: ChatWindow, qtbot: QtBot) -> None:
    window.toggle_share()
    try:
        bar = window.share_bar
        bar.lan_box.setFocus()
        press(qtbot, Qt.Key.Key_Space)
        dialog = open_dialog(QMessageBox)
        assert_walkable(qtbot, dialog)
        assert_escape_closes(qtbot, dialog)
        assert not bar.lan_box.isChecked()
    finally:
        window.live_share.stop()


def test_file_dialogs_close_with_escape(window: ChatWindow, qtbot: QtBot) -> None:
    window.exchange.export_all()
    dialog = open_dialog(QDialog)
    assert_escape_closes(qtbot, dialog)
