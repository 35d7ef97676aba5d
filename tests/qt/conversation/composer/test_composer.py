"""Keyboard behaviour of the composer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.ui.conversation.composer import Composer


def test_enter_sends_shift_enter_adds_line(qtbot: QtBot) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    sent: list[str] = []
    composer.send_requested.connect(sent.append)
    qtbot.keyClicks(composer, "first line")
    qtbot.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer, "second line")
    assert sent == []
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert sent == ["first line\nsecond line"]


def test_blank_prompt_is_not_sent(qtbot: QtBot) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    sent: list[str] = []
    composer.send_requested.connect(sent.append)
    qtbot.keyClicks(composer, "   ")
    qtbot.keyClick(composer, Qt.Key.Key_Enter)
    assert sent == []


def test_escape_requests_stop(qtbot: QtBot) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    with qtbot.waitSignal(composer.stop_requested, timeout=1000):
        qtbot.keyClick(composer, Qt.Key.Key_Escape)


def test_window_shortcuts_are_not_swallowed_by_the_editor(qtbot: QtBot) -> None:
    from functools import partial

    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    composer = Composer()
    window.setCentralWidget(composer)
    qtbot.addWidget(window)
    fired: list[str] = []
    for keys in ("Ctrl+K", "Ctrl+T"):
        action = QAction(keys, window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(partial(fired.append, keys))
        window.addAction(action)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    composer.setFocus()
    qtbot.keyClicks(composer, "some text")
    qtbot.keyClick(composer, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(composer, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert fired == ["Ctrl+K", "Ctrl+T"]
    assert composer.toPlainText() == "some text"  # Ctrl+K did not delete to the end of line
