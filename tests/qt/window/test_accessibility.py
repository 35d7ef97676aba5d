"""Every control a keyboard or screen-reader user meets has a name (qutebrowser-style sweep)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.ui.settings.settings_dialog import SettingsDialog
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import INTERACTIVE, offline_window


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for kind in INTERACTIVE:
        for child in root.findChildren(kind):
            if not child.isVisibleTo(root) and not child.isWindow():
                continue
            text = getattr(child, "text", lambda: "")() if isinstance(child, QAbstractButton) else ""
            if isinstance(child, QLineEdit) and isinstance(child.parent(), QAbstractSpinBox):
                continue  # a spin box's line edit is not a separate object to screen readers
            # An editable combo's line edit is one (AT-SPI lists it as a text of its own): it is named.
            if not (child.accessibleName() or text.replace("&", "").strip()):
                hint = child.placeholderText() if isinstance(child, QLineEdit) else child.toolTip()
                missing.append(f"{type(child).__name__} ({hint})")
    return missing


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    return offline_window(qtbot, tmp_path)


def unlabelled_combos(root: QWidget) -> list[str]:
    """Combo boxes no label is the buddy of: on Linux a combo's accessible name is its value, so a
    screen reader learns what it is for only from a label's "labelled by" relation."""
    labelled = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}
    return [
        combo.accessibleName() or combo.currentText()
        for combo in root.findChildren(QComboBox)
        if combo.isVisibleTo(root) and id(combo) not in labelled
    ]


def test_every_control_of_the_window_has_an_accessible_name(window: ChatWindow) -> None:
    assert unnamed(window) == []
    assert unlabelled_combos(window) == []


def test_every_control_of_the_settings_has_an_accessible_name(window: ChatWindow, qtbot: QtBot) -> None:
    dialog = SettingsDialog(window.controller, window)
    qtbot.addWidget(dialog)
    dialog.load()
    dialog.show()
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        assert unnamed(dialog) == [], dialog.tabs.tabText(index)
        assert unlabelled_combos(dialog) == [], dialog.tabs.tabText(index)


def test_the_panes_and_the_menu_are_reachable_from_the_keyboard(window: ChatWindow, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    window.activateWindow()
    window.composer.setFocus()
    seen = []
    for _ in range(len(window.panes())):
        qtbot.keyClick(window, Qt.Key.Key_F6)
        seen.append(window.focusWidget())
    assert set(map(id, seen)) == set(map(id, window.panes()))  # F6 visits every pane
    assert window.menus.menu_key_action.shortcut().toString() == "F10"
    shortcuts = {a.shortcut().toString() for a in window.actions()}
    assert {"Ctrl+T", "Ctrl+N", "Ctrl+K", "Ctrl+J", "Ctrl+Q", "F6", "F10"} <= shortcuts
