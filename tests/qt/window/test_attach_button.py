"""The paperclip in a real window: shown, at its full size, left of the session's chips; it gives
way only when the window is too narrow for it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window


def attach(window: ChatWindow) -> QToolButton:
    [button] = [b for b in window.findChildren(QToolButton) if b.accessibleName() == "Attach files"]
    return button


def test_the_paperclip_shows_in_the_composer(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.width() == 1000)
    button = attach(window)
    qtbot.waitUntil(button.isVisible)
    assert button.width() >= button.sizeHint().width() > 0
    assert button.height() > 0
    chips = [c for c in window.chips.chips() if c.isVisible()]
    assert chips and all(button.x() + button.width() <= c.x() for c in chips)
