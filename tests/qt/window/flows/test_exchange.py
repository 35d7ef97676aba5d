"""Export and import from the window's menu, with a real store; the file dialog is answered by
emitting its choice, as a user picking a file does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window


def file_dialog(window: ChatWindow) -> QFileDialog:
    (dialog,) = [d for d in window.findChildren(QFileDialog) if d.isVisible()]
    return dialog


def choose(window: ChatWindow, path: Path) -> None:
    dialog = file_dialog(window)
    dialog.fileSelected.emit(str(path))
    dialog.close()


def store_of(window: ChatWindow) -> ConversationStore:
    store = window.controller.store
    assert store is not None
    return store


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    chat = offline_window(qtbot, tmp_path / "here", ("Alpha: plans?", "Beta notes"))
    chat.controller.conversation = store_of(chat).list_conversations()[-1]  # Alpha, the older
    return chat


def test_this_conversation_is_exported_under_its_title(window: ChatWindow, tmp_path: Path) -> None:
    window.menus.export_action.trigger()
    dialog = file_dialog(window)
    assert dialog.windowTitle() == "Export conversations"
    assert Path(dialog.selectedFiles()[0]).name == "Alpha plans.md"  # safe on every platform
    target = tmp_path / "alpha.md"
    choose(window, target)
    text = target.read_text()
    assert "hello from Alpha: plans?" in text and "Beta" not in text
    assert window.banner.label.text() == f"Exported to {target}"


def test_an_empty_conversation_has_nothing_to_export(window: ChatWindow) -> None:
    window.controller.conversation = None
    window.menus.export_action.trigger()
    assert [d for d in window.findChildren(QFileDialog) if d.isVisible()] == []
    assert window.banner.label.text() == "Send a message first: this conversation is still empty."


def test_all_conversations_go_to_a_backup_that_imports_elsewhere(
    qtbot: QtBot, window: ChatWindow, tmp_path: Path
) -> None:
    window.menus.export_all_action.trigger()
    assert Path(file_dialog(window).selectedFiles()[0]).name == "copilot-conversations.json"
    backup = tmp_path / "backup.json"
    choose(window, backup)
    assert len(json.loads(backup.read_text())["conversations"]) == 2
    other = offline_window(qtbot, tmp_path / "there")
    other.menus.import_action.trigger()
    assert file_dialog(other).windowTitle() == "Import conversations"
    choose(other, backup)
    assert other.banner.label.text() == "Imported 2 conversations."
    assert sorted(c.title for c in store_of(other).list_conversations()) == ["Alpha: plans?", "Beta notes"]
    other.menus.import_action.trigger()
    choose(other, backup)
    assert other.banner.label.text() == "Imported 0 conversations; 2 were already here."


def test_a_file_that_cannot_be_written_is_an_error_to_dismiss(window: ChatWindow, tmp_path: Path) -> None:
    window.menus.export_all_action.trigger()
    choose(window, tmp_path / "no such folder" / "backup.json")
    assert window.banner.label.text().startswith(f"Could not write {tmp_path / 'no such folder'}")
    assert window.banner.button_titles == ["Dismiss"]
