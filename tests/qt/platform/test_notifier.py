"""Notifications for windows out of sight: sent only then, and a click brings the window back."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.platform.notifier import Notifier


def test_a_window_out_of_sight_is_notified_and_the_click_brings_it_back(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    notifier = Notifier(QIcon())
    brought: list[str] = []
    assert not window.isActiveWindow()
    notifier.notify(window, "Copilot has replied", "My chat", lambda: brought.append("front"))
    assert notifier.sent == [("Copilot has replied", "My chat")]
    notifier.clicked()
    assert brought == ["front"]
    notifier.clicked()  # a second click on an old notification does nothing
    assert brought == ["front"]
    notifier.close()


def test_the_window_in_front_is_not_notified(qtbot: QtBot, monkeypatch: object) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    notifier = Notifier(QIcon())
    window.isActiveWindow = lambda: True  # type: ignore[method-assign]
    notifier.notify(window, "Copilot has replied", "x", lambda: None)
    assert notifier.sent == []
