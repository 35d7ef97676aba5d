"""Version 3 of the schema: each conversation's reasoning effort. A version 2 database (what the app
wrote before it) opens with every conversation at its model's default effort and loses nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop_app.core.storage import database
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import DB_FILE, SCHEMA_VERSION, open_database
from tests.unit.storage.store_helpers import user_version


def make_v2_database(data_dir: Path) -> None:
    """A database as version 2 of the app left it, with an Agent conversation and a tool call."""
    data_dir.mkdir(parents=True)
    db = sqlite3.connect(data_dir / DB_FILE, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    for number, script in enumerate(database.MIGRATIONS[:2], 1):
        db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    db.execute(
        "INSERT INTO conversations (id, title, created_at, updated_at, session_id, model, provider, "
        "mode, working_dir) VALUES ('c1', 'Agent work', 1.0, 2.0, 's-1', 'gpt-5', 'copilot', 'agent', '/w')"
    )
    db.execute(
        "INSERT INTO messages (id, conversation_id, seq, role, content, created_at, updated_at) "
        "VALUES ('m1', 'c1', 1, 'user', 'list the files', 1.0, 1.0)"
    )
    db.execute(
        "INSERT INTO tool_calls (conversation_id, id, seq, message_id, name, status, started_at) "
        "VALUES ('c1', 't1', 1, 'm1', 'bash', 'done', 1.5)"
    )
    db.close()


def test_a_version_2_database_opens_with_the_models_default_effort(data_dir: Path) -> None:
    make_v2_database(data_dir)
    result = open_database(data_dir)
    store = ConversationStore(result.connection)
    try:
        assert result.notice is None and user_version(store.db) == SCHEMA_VERSION == 3
        old = store.get_conversation("c1")
        assert old is not None and old.reasoning_effort == ""
        assert (old.title, old.session_id, old.model, old.mode, old.working_dir) == (
            "Agent work",
            "s-1",
            "gpt-5",
            "agent",
            "/w",
        )
        assert [m.content for m in store.messages("c1")] == ["list the files"]
        assert [t.call.id for t in store.tool_calls("c1")] == ["t1"]
        store.update_conversation("c1", reasoning_effort="high")
        assert store.get_conversation("c1").reasoning_effort == "high"  # type: ignore[union-attr]
    finally:
        store.close()
    again = open_database(data_dir)  # kept, and nothing migrated twice
    try:
        assert ConversationStore(again.connection).get_conversation("c1").reasoning_effort == "high"  # type: ignore[union-attr]
    finally:
        again.connection.close()


def test_a_new_conversation_keeps_the_effort_it_is_created_with(data_dir: Path) -> None:
    store = ConversationStore(open_database(data_dir).connection)
    try:
        made = store.create_conversation(model="gpt-5", reasoning_effort="low")
        assert made.reasoning_effort == "low"
        assert store.create_conversation(model="gpt-5").reasoning_effort == ""
    finally:
        store.close()
