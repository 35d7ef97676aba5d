"""A real chat window with a store and no CLI, for sweeps over its widgets and dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)
from pytestqt.qtbot import QtBot

from desktop_app.core.config.credentials import FileSecretStore
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import Settings
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.window.chat_window import ChatWindow

# The widgets a keyboard or screen-reader user works with (labels and frames only show things).
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
    QComboBox,
    QAbstractSpinBox,
)


def offline_window(
    qtbot: QtBot, tmp_path: Path, conversations: tuple[str, ...] = (), settings: Settings | None = None
) -> ChatWindow:
    """A shown window whose sidebar lists ``conversations`` (titles), each with one message."""
    paths = AppPaths.under(tmp_path)
    store = ConversationStore(open_database(paths.data_dir).connection)
    for title in conversations:
        conversation = store.create_conversation(model="m", title=title)
        store.add_message(conversation.id, Role.USER, f"hello from {title}")
    controller = ChatController(
        CopilotService(paths), settings or Settings(), FileSecretStore(tmp_path / "key"), store=store
    )
    chat = ChatWindow(controller)
    qtbot.addWidget(chat)
    chat.show()
    return chat


def active_offline_window(qtbot: QtBot, tmp_path: Path, conversations: tuple[str, ...] = ()) -> ChatWindow:
    """``offline_window``, made the active window, so key presses and focus behave as on a desktop."""
    chat = offline_window(qtbot, tmp_path, conversations)
    chat.activateWindow()
    qtbot.waitUntil(chat.isActiveWindow)
    return chat


def store_of(window: ChatWindow) -> ConversationStore:
    """The window's store (these windows always have one)."""
    store = window.controller.store
    assert store is not None
    return store
