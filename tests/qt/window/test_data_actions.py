"""Export and import from the window's menu."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.config.credentials import FileSecretStore
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import Settings
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.platform import file_dialogs
from desktop_app.ui.window.chat_window import ChatWindow
from desktop_app.ui.window.data_actions import ask_export, ask_import


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    paths = AppPaths.under(tmp_path / "app")
    store = ConversationStore(open_database(paths.data_dir).connection)
    conversation = store.create_conversation()
    store.add_message(conversation.id, Role.USER, "Export me: <b>safe</b>?")
    store.add_message(conversation.id, Role.ASSISTANT, "**Yes**, with `code`.", reasoning="Thinking hard")
    controller = ChatController(
        CopilotService(paths), Settings(), FileSecretStore(paths.config_dir), store=store
    )
    window = ChatWindow(controller)
    qtbot.addWidget(window)
    controller.conversation = conversation
    return window


@pytest.mark.parametrize("suffix", ["md", "html", "json"])
def test_export_writes_the_chosen_format(window: ChatWindow, tmp_path: Path, suffix: str) -> None:
    store = window.controller.store
    assert store is not None
    reports: list[tuple[str, str]] = []
    dialog = ask_export(window, store, None, "x", lambda text, level: reports.append((text, level)))
    target = tmp_path / f"out.{suffix}"
    dialog.fileSelected.emit(str(target))
    dialog.close()
    text = target.read_text()
    assert "Export me" in text
    if suffix == "json":
        assert json.loads(text)["conversations"][0]["messages"][1]["reasoning"] == "Thinking hard"
    if suffix == "html":
        assert "<b>safe</b>" not in text and "&lt;b&gt;safe&lt;/b&gt;" in text
    assert reports == [(f"Exported to {target}", "info")]


def test_import_reports_counts_and_bad_files(window: ChatWindow, tmp_path: Path) -> None:
    store = window.controller.store
    assert store is not None
    backup = tmp_path / "backup.json"
    dialog = ask_export(window, store, None, "x", lambda *_: None)
    dialog.fileSelected.emit(str(backup))
    dialog.close()
    other = ConversationStore(open_database(tmp_path / "other").connection)
    reports: list[tuple[str, str]] = []
    importer = ask_import(window, other, lambda text, level: reports.append((text, level)))
    importer.fileSelected.emit(str(backup))
    importer.fileSelected.emit(str(backup))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    importer.fileSelected.emit(str(bad))
    importer.close()
    assert reports[0] == ("Imported 1 conversation.", "info")
    assert reports[1] == ("Imported 0 conversations; 1 was already here.", "info")
    assert reports[2][1] == "error" and reports[2][0].startswith("Nothing was imported:")
    assert other.count_conversations() == 1


@pytest.mark.expected_warnings  # each conversation left out is logged with its reason
def test_an_import_with_a_bad_conversation_imports_the_rest_and_says_why(
    window: ChatWindow, tmp_path: Path
) -> None:
    store = window.controller.store
    assert store is not None
    store.create_conversation("second")
    backup = tmp_path / "backup.json"
    dialog = ask_export(window, store, None, "x", lambda *_: None)
    dialog.fileSelected.emit(str(backup))
    dialog.close()
    document = json.loads(backup.read_text())
    document["conversations"][0]["created_at"] = 1e15  # the year 31 million
    backup.write_text(json.dumps(document))
    other = ConversationStore(open_database(tmp_path / "other").connection)
    reports: list[tuple[str, str]] = []
    importer = ask_import(window, other, lambda text, level: reports.append((text, level)))
    importer.fileSelected.emit(str(backup))
    importer.close()
    ((text, level),) = reports
    assert level == "warning"
    assert text.startswith("Imported 1 conversation; 1 could not be imported (conversations[0].created_at")
    assert "is not a time between 1970 and 2100" in text
    assert other.count_conversations() == 1


def test_menu_offers_the_data_actions(window: ChatWindow) -> None:
    menu = window.toolbar.menu_button.menu()
    assert menu is not None
    titles = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    assert "Export this conversation…" in titles and "Import conversations…" in titles


def test_export_dialogs_suggest_a_safe_name_in_the_format_they_export(
    window: ChatWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.controller.store
    assert store is not None
    conversation = store.create_conversation(title="🎉 Release/notes: v2")
    window.controller.conversation = conversation
    monkeypatch.setattr(
        file_dialogs.QStandardPaths, "writableLocation", lambda _location: str(tmp_path)
    )  # a home without Documents
    file_dialogs.forget_picked()
    shown: list[QFileDialog] = []
    monkeypatch.setattr(QFileDialog, "open", lambda dialog: shown.append(dialog))
    window.exchange.export_current()
    window.exchange.export_all()
    current, everything = shown
    assert [Path(f).name for f in current.selectedFiles()] == ["Release-notes v2.md"]
    assert current.selectedNameFilter() == "Markdown (*.md)"
    assert [Path(f).name for f in everything.selectedFiles()] == ["copilot-conversations.json"]
    assert everything.selectedNameFilter() == "JSON backup (*.json)"
    assert all(Path(d.directory().absolutePath()) == tmp_path for d in shown)
    file_dialogs.forget_picked()
