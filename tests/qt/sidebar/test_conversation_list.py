"""The sidebar's list: paging through many conversations, renaming, pinning."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role
from desktop_app.ui.sidebar.conversation_list import PAGE, ConversationListModel, ConversationSidebar


def test_pages_load_as_needed(qtbot: QtBot, tmp_path: Path) -> None:
    store = ConversationStore(open_database(tmp_path).connection)
    with store.transaction() as db:
        db.executemany(
            "INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(f"c{i:04}", f"Conversation {i}", float(i), float(i)) for i in range(PAGE * 2 + 17)],
        )
    model = ConversationListModel(store)
    assert model.rowCount() == PAGE
    assert model.index(0).data() == f"Conversation {PAGE * 2 + 16}"  # newest first
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE * 2 + 17 and not model.canFetchMore()
    model.reload()  # a change keeps everything that was shown
    assert model.rowCount() == PAGE * 2 + 17


def test_streaming_updates_do_not_reload_the_list(qtbot: QtBot, tmp_path: Path) -> None:
    store = ConversationStore(open_database(tmp_path).connection)
    conversation = store.create_conversation()
    message = store.add_message(conversation.id, Role.ASSISTANT, "")
    model = ConversationListModel(store)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    for i in range(20):
        store.update_message(message.id, content=f"growing {i}")
    qtbot.wait(250)
    assert resets == []
    store.rename(conversation.id, "Renamed")
    qtbot.waitUntil(lambda: model.index(0).data() == "Renamed", timeout=2000)


def test_rename_through_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    store = ConversationStore(open_database(tmp_path).connection)
    conversation = store.create_conversation("Old title")
    sidebar = ConversationSidebar(store)
    qtbot.addWidget(sidebar)
    sidebar.rename(conversation.id)
    dialog = sidebar.findChild(QInputDialog)
    assert dialog is not None and dialog.textValue() == "Old title"
    dialog.setTextValue("  New title  ")
    dialog.accept()
    assert store.get_conversation(conversation.id).title == "New title"  # type: ignore[union-attr]
    sidebar.toggle_pin(conversation.id)
    qtbot.waitUntil(lambda: sidebar.model.index(0).data() == "★ New title", timeout=2000)


@pytest.mark.expected_warnings
def test_a_bad_row_does_not_break_the_list(qtbot: QtBot, tmp_path: Path) -> None:
    store = ConversationStore(open_database(tmp_path).connection)
    store.create_conversation("Fine")
    with store.transaction() as db:  # garbage another tool or a damaged file might leave
        db.execute(
            "INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('bad', x'00', 'x', 1e300)"
        )
    model = ConversationListModel(store)
    assert model.rowCount() == 2
    for row in range(2):
        assert isinstance(model.index(row).data(), str)
        assert isinstance(model.index(row).data(Qt.ItemDataRole.ToolTipRole), str)
