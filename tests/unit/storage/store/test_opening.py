"""Opening the store's database: a fresh one, reopening, and schema versions (upgrades, newer files;
version 3 keeps each conversation's reasoning effort, version 2 files open at the models' defaults)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop_app.core.storage import database
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import (
    DB_FILE,
    SCHEMA_VERSION,
    DatabaseTooNewError,
    open_database,
)
from desktop_app.core.storage.models import Role, Status
from tests.unit.storage.store_helpers import fts_check, hit_ids, user_version


def test_fresh_database_has_current_schema_and_wal(data_dir: Path) -> None:
    result = open_database(data_dir)
    try:
        db = result.connection
        assert result.path == data_dir / DB_FILE
        assert result.path.is_file()
        assert result.notice is None
        assert user_version(db) == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")}
        assert {"conversations", "messages", "messages_fts"} <= tables
    finally:
        result.connection.close()


def test_data_dir_is_created_with_parents(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    result = open_database(deep)
    result.connection.close()
    assert (deep / DB_FILE).is_file()


def test_reopening_is_idempotent_and_keeps_data(data_dir: Path) -> None:
    first = open_database(data_dir)
    s = ConversationStore(first.connection)
    c = s.create_conversation("kept")
    s.add_message(c.id, Role.USER, "persisted words")
    s.close()

    for _ in range(2):
        again = open_database(data_dir)
        try:
            assert again.notice is None
            assert user_version(again.connection) == SCHEMA_VERSION
            assert again.connection.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
            s2 = ConversationStore(again.connection)
            assert [x.title for x in s2.list_conversations()] == ["kept"]
            assert [m.content for m in s2.messages(c.id)] == ["persisted words"]
            assert len(s2.search("persisted")) == 1
        finally:
            again.connection.close()
    assert sorted(p.name for p in data_dir.iterdir() if "corrupt" in p.name) == []


def test_newer_schema_is_refused_and_file_left_unchanged(data_dir: Path) -> None:
    result = open_database(data_dir)
    result.connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    result.connection.close()
    path = data_dir / DB_FILE
    before = path.read_bytes()

    with pytest.raises(DatabaseTooNewError, match="newer version"):
        open_database(data_dir)

    assert path.read_bytes() == before
    assert not any("corrupt" in p.name for p in data_dir.iterdir())
    # Still refused the second time (nothing was "fixed" by the first attempt).
    with pytest.raises(DatabaseTooNewError):
        open_database(data_dir)
    assert path.read_bytes() == before


def test_newer_schema_in_rollback_journal_mode_is_left_unchanged(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILE
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE future (x)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.commit()
    db.close()
    before = path.read_bytes()

    with pytest.raises(DatabaseTooNewError):
        open_database(data_dir)

    assert path.read_bytes() == before


def make_v1_database(data_dir: Path) -> None:
    """A database as version 1 of the app left it: only the first migration, with content."""
    data_dir.mkdir(parents=True)
    db = sqlite3.connect(data_dir / DB_FILE, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.executescript(f"BEGIN;\n{database.MIGRATIONS[0]}\nPRAGMA user_version = 1;\nCOMMIT;")
    db.execute(
        "INSERT INTO conversations (id, title, created_at, updated_at, pinned, trashed_at, session_id, "
        "model, provider, draft) VALUES ('c1', 'Old one', 1.5, 2.5, 1, NULL, 's-1', 'gpt-x', 'copilot', "
        "'half'), ('c2', '', 3.0, 4.0, 0, 9.0, NULL, '', '', '')"
    )
    rows = [
        ("m1", "c1", 1, "user", "ancient wombat question", "", "complete", 1.5),
        ("m2", "c1", 2, "assistant", "an answer", "thought", "complete", 1.6),
        ("m3", "c2", 1, "assistant", "cut short", "", "streaming", 3.1),
    ]
    db.executemany(
        "INSERT INTO messages (id, conversation_id, seq, role, content, reasoning, status, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*r, r[-1]) for r in rows],
    )
    db.close()


def test_a_version_1_database_is_upgraded_keeping_everything(data_dir: Path) -> None:
    make_v1_database(data_dir)
    assert SCHEMA_VERSION == 7
    result = open_database(data_dir)
    s = ConversationStore(result.connection)
    try:
        assert result.notice is None
        assert user_version(s.db) == SCHEMA_VERSION
        old = s.get_conversation("c1")
        assert old is not None
        assert (old.title, old.created_at, old.updated_at, old.pinned) == ("Old one", 1.5, 2.5, True)
        assert (old.session_id, old.model, old.provider, old.draft) == ("s-1", "gpt-x", "copilot", "half")
        assert (old.mode, old.working_dir, old.reasoning_effort, old.origin_id) == ("chat", "", "", "")
        assert s.get_conversation("c2").trashed_at == 9.0  # type: ignore[union-attr]
        assert [(m.id, m.seq, m.role, m.content, m.reasoning) for m in s.messages("c1")] == [
            ("m1", 1, Role.USER, "ancient wombat question", ""),
            ("m2", 2, Role.ASSISTANT, "an answer", "thought"),
        ]
        assert s.get_message("m3").status is Status.STREAMING  # type: ignore[union-attr]
        assert [m.premium_cost for m in s.messages("c1")] == [None, None]  # not reported before schema 4
        assert [c.id for c in s.list_conversations()] == ["c1"]  # schema 6: none hidden
        assert hit_ids(s, "wombat") == {"m1"}
        indexed = "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'cut'"
        assert s.db.execute(indexed).fetchone()[0] == 0  # schema 7: a reply still streaming is not indexed
        fts_check(s.db)
        s.mark_interrupted()  # until it is known to be over
        assert s.db.execute(indexed).fetchone()[0] == 1
        fts_check(s.db)
        assert s.tool_calls("c1") == [] and s.permission_rules() == []
        s.update_conversation("c1", mode="agent", working_dir="/work")
        assert (s.get_conversation("c1").mode, s.get_conversation("c1").working_dir) == (  # type: ignore[union-attr]
            "agent",
            "/work",
        )
        assert s.db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        s.close()
    again = open_database(data_dir)  # a second open migrates nothing
    try:
        assert user_version(again.connection) == SCHEMA_VERSION
    finally:
        again.connection.close()


def test_a_failed_upgrade_leaves_the_version_1_database_as_it_was(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_v1_database(data_dir)
    broken = database.MIGRATIONS[1] + "\nCREATE TABLE conversations (x);"  # fails after the rest ran
    monkeypatch.setattr(database, "MIGRATIONS", [database.MIGRATIONS[0], broken])
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        open_database(data_dir)
    db = sqlite3.connect(data_dir / DB_FILE)
    try:
        assert user_version(db) == 1
        columns = [r[1] for r in db.execute("PRAGMA table_info(conversations)")]
        assert "mode" not in columns
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "tool_calls" not in tables and "permission_rules" not in tables
        assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 3
    finally:
        db.close()


def test_a_database_newer_than_version_7_is_refused(data_dir: Path) -> None:
    make_v1_database(data_dir)
    db = sqlite3.connect(data_dir / DB_FILE)
    db.execute("PRAGMA user_version = 8")
    db.close()
    with pytest.raises(DatabaseTooNewError, match="schema 8; this version knows 7"):
        open_database(data_dir)


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
        assert result.notice is None and user_version(store.db) == SCHEMA_VERSION == 7
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


def test_a_new_file_in_one_transaction_gets_the_schema_of_every_upgrade_in_turn(tmp_path: Path) -> None:
    """A new database takes all migrations in one commit; the schema is what upgrading one
    version at a time makes."""

    def schema(db: sqlite3.Connection) -> list[tuple[str, str, str]]:
        return sorted(tuple(row) for row in db.execute("SELECT type, name, sql FROM sqlite_master"))

    fresh = open_database(tmp_path / "fresh").connection
    stepped = sqlite3.connect(tmp_path / "stepped.db", isolation_level=None)
    try:
        for number in range(SCHEMA_VERSION):
            stepped.executescript(f"{database.MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};")
        assert schema(fresh) == schema(stepped)
        assert user_version(fresh) == user_version(stepped) == SCHEMA_VERSION
    finally:
        fresh.close()
        stepped.close()
