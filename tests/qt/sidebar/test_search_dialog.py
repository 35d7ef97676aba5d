"""Ctrl+K search: results as you type, highlighted, Enter picks one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role
from desktop_app.ui.platform.live_palette import tone
from desktop_app.ui.sidebar.search_dialog import SearchDialog, snippet_html


def make_store(tmp_path: Path) -> tuple[ConversationStore, str, str]:
    store = ConversationStore(open_database(tmp_path).connection)
    c1 = store.create_conversation()
    store.add_message(c1.id, Role.USER, "How do I parse JSON in Rust?")
    target = store.add_message(c1.id, Role.ASSISTANT, "Use the serde_json crate: serde_json::from_str.")
    c2 = store.create_conversation()
    store.add_message(c2.id, Role.USER, "Best <script>alert(1)</script> tea?")
    return store, c1.id, target.id


def test_typing_searches_and_enter_chooses(qtbot: QtBot, tmp_path: Path) -> None:
    store, conversation_id, message_id = make_store(tmp_path)
    dialog = SearchDialog(store)
    qtbot.addWidget(dialog)
    dialog.show_search()
    qtbot.keyClicks(dialog.query, "serde")
    dialog.run_search()
    assert dialog.results.count() == 1
    label = dialog.results.itemWidget(dialog.results.item(0))
    assert isinstance(label, QLabel)
    assert "How do I parse JSON in Rust?" in label.text()
    mark = f'<b style="background-color:{tone().search_match};color:{tone().text}">serde</b>_json'
    assert mark in label.text()
    with qtbot.waitSignal(dialog.message_chosen, timeout=1000) as chosen:
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert chosen.args == [conversation_id, message_id]


def test_no_match_and_hostile_text(qtbot: QtBot, tmp_path: Path) -> None:
    store, _cid, _mid = make_store(tmp_path)
    dialog = SearchDialog(store)
    qtbot.addWidget(dialog)
    dialog.query.setText('zzz "NEAR(')
    dialog.run_search()
    assert dialog.results.count() == 0 and dialog.status.text() == "No matches"
    dialog.query.setText("tea")
    dialog.run_search()
    assert dialog.results.count() == 1
    assert "<script>" not in snippet_html("\x02<script>\x03")


def test_hostile_titles_and_snippets_are_text(qtbot: QtBot, tmp_path: Path) -> None:
    store = ConversationStore(open_database(tmp_path).connection)
    conversation = store.create_conversation()
    store.rename(conversation.id, '<img src="/dev/zero">')
    store.add_message(conversation.id, Role.ASSISTANT, 'needle <img src="/etc/passwd" onerror="x()">')
    dialog = SearchDialog(store)
    qtbot.addWidget(dialog)
    dialog.query.setText("needle")
    dialog.run_search()
    label = dialog.results.itemWidget(dialog.results.item(0))
    assert isinstance(label, QLabel)
    assert "<img" not in label.text()
    assert '&lt;img src="/dev/zero"&gt;' in label.text()  # the title, shown as text
    assert 'onerror="x()"&gt;' in label.text()  # and the snippet
