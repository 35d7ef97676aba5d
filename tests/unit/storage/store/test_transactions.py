"""Transactions and a second connection to the same file (WAL: readers are never blocked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role
from tests.unit.storage.store_helpers import hit_ids


def test_transaction_rolls_back_on_error(store: ConversationStore) -> None:
    c = store.create_conversation()
    with pytest.raises(RuntimeError), store.transaction() as db:
        db.execute("UPDATE conversations SET title = 'changed' WHERE id = ?", (c.id,))
        raise RuntimeError("boom")
    assert store.get_conversation(c.id).title == ""  # type: ignore[union-attr]
    assert not store.db.in_transaction


def test_second_connection_sees_committed_writes(store: ConversationStore, data_dir: Path) -> None:
    other_result = open_database(data_dir)
    other = ConversationStore(other_result.connection)
    try:
        c = store.create_conversation("shared")
        m = store.add_message(c.id, Role.USER, "visible wombat")
        assert other.get_conversation(c.id) == store.get_conversation(c.id)
        assert other.get_message(m.id) == m
        assert hit_ids(other, "wombat") == {m.id}

        # A write in progress is invisible to the other connection, and does not block its reads.
        with store.transaction() as db:
            db.execute("UPDATE conversations SET title = 'pending' WHERE id = ?", (c.id,))
            assert other.get_conversation(c.id).title == "shared"  # type: ignore[union-attr]
            assert len(other.list_conversations()) == 1
        assert other.get_conversation(c.id).title == "pending"  # type: ignore[union-attr]

        # And the other way round.
        other.update_message(m.id, content="edited elsewhere")
        assert store.get_message(m.id).content == "edited elsewhere"  # type: ignore[union-attr]
        assert store.search("wombat") == []
        assert hit_ids(store, "elsewhere") == {m.id}
    finally:
        other.close()
