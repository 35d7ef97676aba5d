"""A reply is announced as it starts and ends; one that took a while, or a request, notifies."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.permission_requests import PermissionPrompt, RequestKind
from desktop_app.ui.platform.notifier import Notifier
from desktop_app.ui.window.chat_window import ChatWindow
from desktop_app.ui.window.feedback.notifications import NOTIFY_AFTER_S
from tests.qt.offline_window import offline_window


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    """A window the user is not looking at (another one is in front), with the app's notifier."""
    chat = offline_window(qtbot, tmp_path)
    chat.notifier = Notifier(QIcon(), chat)
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not chat.isActiveWindow())
    return chat


def sent(window: ChatWindow) -> list[tuple[str, str]]:
    assert window.notifier is not None
    return window.notifier.sent


def test_a_reply_is_announced_as_it_starts_and_ends_never_word_by_word(window: ChatWindow) -> None:
    window.controller.busy_changed.emit(True)
    window.controller.bridge.text_delta.emit("Hello ")
    window.controller.bridge.text_delta.emit("there")
    window.controller.busy_changed.emit(False)
    assert window.announcements == ["Copilot is replying", "Copilot's reply is complete"]
    assert window.notifications.announcements is window.announcements


def test_a_quick_reply_was_watched_and_notifies_nobody(window: ChatWindow) -> None:
    # Quicker than NOTIFY_AFTER_S: the user saw it happen.
    window.controller.busy_changed.emit(True)
    window.controller.busy_changed.emit(False)
    assert sent(window) == []


def test_a_long_reply_notifies_with_the_window_title(window: ChatWindow) -> None:
    now = [1000.0]
    window.notifications.clock = lambda: now[0]
    window.setWindowTitle("Plans — Copilot Desktop")
    window.controller.busy_changed.emit(True)
    now[0] += NOTIFY_AFTER_S
    window.controller.busy_changed.emit(False)
    assert sent(window) == [("Copilot has replied", "Plans — Copilot Desktop")]


def test_clicking_the_notification_brings_the_window_forward(qtbot: QtBot, window: ChatWindow) -> None:
    now = [0.0]
    window.notifications.clock = lambda: now[0]
    window.controller.busy_changed.emit(True)
    now[0] += NOTIFY_AFTER_S
    window.controller.busy_changed.emit(False)
    assert window.notifier is not None
    window.notifier.clicked()
    qtbot.waitUntil(window.isActiveWindow)


def test_a_request_notifies_with_its_summary(window: ChatWindow) -> None:
    prompt = PermissionPrompt("p1", RequestKind.SHELL, "c1", "Run a shell command", "ls -la")
    window.controller.bridge.permission_asked.emit(prompt)
    assert sent(window) == [("Copilot is waiting for your approval", "Run a shell command: ls -la")]
    assert window.permission_card.current == prompt


def test_without_the_apps_notifier_nothing_breaks(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path)
    assert window.notifier is None
    window.notifications.notify("Copilot has replied", "x")  # the taskbar flashes, at most
