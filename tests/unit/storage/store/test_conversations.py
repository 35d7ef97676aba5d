"""The SQLite conversation store: opening (WAL, migrations, bad files), conversations, messages, search.

Every test runs against a real SQLite file under ``tmp_path`` with a fake clock, so ordering and
timestamps are exact.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.storage import database
from desktop_app.core.storage.conversation_store import (
    TITLE_LENGTH,
    ConversationStore,
    fts_query,
    title_from_prompt,
)
from desktop_app.core.storage.database import (
    DB_FILE,
    SCHEMA_VERSION,
    DatabaseTooNewError,
    StorageError,
    open_database,
)
from desktop_app.core.storage.models import HIGHLIGHT_END, HIGHLIGHT_START, Role, Status

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
skip_if_root = pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions")


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float = 1.0) -> float:
        self.now += seconds
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, clock: FakeClock) -> Iterator[ConversationStore]:
    result = open_database(data_dir, clock=clock)
    assert result.notice is None
    s = ConversationStore(result.connection, clock=clock)
    yield s
    s.close()


def make_real_database(data_dir: Path, conversations: int = 50) -> bytes:
    """A closed, checkpointed database with some content; returns its bytes."""
    result = open_database(data_dir)
    s = ConversationStore(result.connection)
    for i in range(conversations):
        c = s.create_conversation()
        s.add_message(c.id, Role.USER, f"question {i} " + "lorem ipsum dolor " * 40)
        s.add_message(c.id, Role.ASSISTANT, f"answer {i} " + "sit amet consectetur " * 80)
    s.close()
    return (data_dir / DB_FILE).read_bytes()


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def fts_check(db: sqlite3.Connection) -> None:
    """FTS5 integrity check, including consistency with the external content table (raises if not)."""
    db.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)")


def fts_doc_count(db: sqlite3.Connection) -> int:
    """Rows actually in the full-text index (the docsize shadow table has one per indexed message)."""
    return int(db.execute("SELECT count(*) FROM messages_fts_docsize").fetchone()[0])


def hit_ids(s: ConversationStore, text: str) -> set[str]:
    return {h.message_id for h in s.search(text)}


# -- opening the database ---------------------------------------------------------------------


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
    assert SCHEMA_VERSION == 2
    result = open_database(data_dir)
    s = ConversationStore(result.connection)
    try:
        assert result.notice is None
        assert user_version(s.db) == SCHEMA_VERSION
        old = s.get_conversation("c1")
        assert old is not None
        assert (old.title, old.created_at, old.updated_at, old.pinned) == ("Old one", 1.5, 2.5, True)
        assert (old.session_id, old.model, old.provider, old.draft) == ("s-1", "gpt-x", "copilot", "half")
        assert (old.mode, old.working_dir) == ("chat", "")
        assert s.get_conversation("c2").trashed_at == 9.0  # type: ignore[union-attr]
        assert [(m.id, m.seq, m.role, m.content, m.reasoning) for m in s.messages("c1")] == [
            ("m1", 1, Role.USER, "ancient wombat question", ""),
            ("m2", 2, Role.ASSISTANT, "an answer", "thought"),
        ]
        assert s.get_message("m3").status is Status.STREAMING  # type: ignore[union-attr]
        assert hit_ids(s, "wombat") == {"m1"}
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


def test_a_database_newer_than_version_2_is_refused(data_dir: Path) -> None:
    make_v1_database(data_dir)
    db = sqlite3.connect(data_dir / DB_FILE)
    db.execute("PRAGMA user_version = 3")
    db.close()
    with pytest.raises(DatabaseTooNewError, match="schema 3; this version knows 2"):
        open_database(data_dir)


@pytest.mark.expected_warnings
def test_random_bytes_file_is_moved_aside(data_dir: Path, clock: FakeClock) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILE
    garbage = os.urandom(64 * 1024)
    path.write_bytes(garbage)

    result = open_database(data_dir, clock=clock)
    try:
        kept = data_dir / f"conversations.corrupt-{int(clock.now)}.sqlite3"
        assert kept.read_bytes() == garbage
        assert result.notice is not None
        assert kept.name in result.notice
        assert user_version(result.connection) == SCHEMA_VERSION
        s = ConversationStore(result.connection, clock=clock)
        assert s.list_conversations() == []
        c = s.create_conversation()
        s.add_message(c.id, Role.USER, "fresh start")
        assert len(s.search("fresh")) == 1
    finally:
        result.connection.close()
    # Opening again is quiet: the new file is healthy.
    again = open_database(data_dir, clock=clock)
    again.connection.close()
    assert again.notice is None


@pytest.mark.expected_warnings
@pytest.mark.parametrize("keep", [100, 4096, 0.5], ids=["header-only", "first-page", "half"])
def test_truncated_database_is_moved_aside(data_dir: Path, clock: FakeClock, keep: float) -> None:
    original = make_real_database(data_dir)
    size = int(len(original) * keep) if isinstance(keep, float) else int(keep)
    truncated = original[:size]
    (data_dir / DB_FILE).write_bytes(truncated)

    result = open_database(data_dir, clock=clock)
    try:
        kept = data_dir / f"conversations.corrupt-{int(clock.now)}.sqlite3"
        assert kept.read_bytes() == truncated
        assert result.notice is not None and kept.name in result.notice
        s = ConversationStore(result.connection, clock=clock)
        assert s.count_conversations() == 0
        c = s.create_conversation("new")
        assert s.get_conversation(c.id) == c
    finally:
        result.connection.close()


@pytest.mark.expected_warnings
def test_second_corrupt_file_in_same_second_does_not_overwrite_first(
    data_dir: Path, clock: FakeClock
) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILE
    first = b"first" + os.urandom(8192)
    second = b"second" + os.urandom(8192)
    path.write_bytes(first)
    open_database(data_dir, clock=clock).connection.close()
    path.write_bytes(second)
    open_database(data_dir, clock=clock).connection.close()

    kept = sorted(
        p.read_bytes() for p in data_dir.iterdir() if p.name.endswith(".sqlite3") and "corrupt" in p.name
    )
    assert sorted([first, second]) == kept


@pytest.mark.expected_warnings
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_corrupt_file_is_closed_before_it_is_moved(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILE
    path.write_bytes(os.urandom(8192))
    open_at_move: list[str] = []
    real_move = database._move_aside

    def spy(source: Path, target: Path) -> None:
        for fd in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError):  # the fd of os.listdir itself is gone by now
                open_at_move.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_move(source, target)

    monkeypatch.setattr(database, "_move_aside", spy)
    open_database(data_dir, clock=clock).connection.close()
    assert str(path) not in open_at_move


@pytest.mark.expected_warnings
def test_locked_database_is_not_treated_as_corrupt(data_dir: Path, clock: FakeClock) -> None:
    make_real_database(data_dir, conversations=3)
    holder = sqlite3.connect(data_dir / DB_FILE, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE conversations SET pinned = 1")
        # Waits out the 5 s busy timeout, then must report a storage problem, not corruption.
        try:
            result = open_database(data_dir, clock=clock)
        except StorageError:
            result = None
        if result is not None:
            result.connection.close()
        assert not any("corrupt" in p.name for p in data_dir.iterdir())
        assert result is None
    finally:
        holder.close()


@skip_if_root
def test_read_only_data_dir_gives_storage_error(data_dir: Path) -> None:
    data_dir.mkdir()
    data_dir.chmod(0o500)
    try:
        with pytest.raises(StorageError):
            open_database(data_dir)
        assert list(data_dir.iterdir()) == []
    finally:
        data_dir.chmod(0o700)


@skip_if_root
def test_read_only_data_dir_with_existing_database_gives_storage_error(data_dir: Path) -> None:
    original = make_real_database(data_dir, conversations=2)
    data_dir.chmod(0o500)
    try:
        with pytest.raises(StorageError):
            open_database(data_dir)
        assert (data_dir / DB_FILE).read_bytes() == original  # not moved aside, not changed
    finally:
        data_dir.chmod(0o700)


@skip_if_root
def test_read_only_database_file_gives_storage_error(data_dir: Path) -> None:
    make_real_database(data_dir, conversations=2)
    (data_dir / DB_FILE).chmod(0o400)
    try:
        with pytest.raises(StorageError):
            result = open_database(data_dir)
            try:
                ConversationStore(result.connection).create_conversation("x")
            finally:
                result.connection.close()
    finally:
        (data_dir / DB_FILE).chmod(0o600)


def test_data_dir_that_is_a_file_gives_storage_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("I am a file")
    with pytest.raises(StorageError, match="data folder"):
        open_database(not_a_dir)
    assert not_a_dir.read_text() == "I am a file"


def test_data_dir_under_a_file_gives_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(StorageError):
        open_database(blocker / "data")


# -- helpers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        ("Hello", "Hello"),
        ("  \n\n   Explain   WAL\tmode  \nsecond line", "Explain WAL mode"),
        ("", ""),
        ("   \n \t\n", ""),
        ("a" * TITLE_LENGTH, "a" * TITLE_LENGTH),
    ],
)
def test_title_from_prompt(prompt: str, title: str) -> None:
    assert title_from_prompt(prompt) == title


def test_long_title_is_truncated_with_ellipsis() -> None:
    prompt = "word " * 100
    title = title_from_prompt(prompt)
    assert len(title) <= TITLE_LENGTH
    assert title.endswith("…")
    assert not title[:-1].endswith(" ")
    assert prompt.startswith(title[:-1])
    assert title_from_prompt("x" * (TITLE_LENGTH + 1)) == "x" * (TITLE_LENGTH - 1) + "…"


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("hello", '"hello"*'),
        ("hello wor", '"hello" AND "wor"*'),
        ('say "NEAR(a b)" -x', '"say" AND "NEAR" AND "a" AND "b" AND "x"*'),
        ("col:value", '"col" AND "value"*'),
        ("", None),
        ('"*-:()^', None),
    ],
)
def test_fts_query(text: str, query: str | None) -> None:
    assert fts_query(text) == query


# -- conversations ------------------------------------------------------------------------------


def test_create_and_get_conversation(store: ConversationStore, clock: FakeClock) -> None:
    c = store.create_conversation(model="gpt-5", provider="copilot", session_id="s-1")
    assert c.title == ""
    assert (c.mode, c.working_dir) == ("chat", "")
    assert c.created_at == c.updated_at == clock.now
    assert (c.pinned, c.trashed_at, c.draft) == (False, None, "")
    assert (c.model, c.provider, c.session_id) == ("gpt-5", "copilot", "s-1")
    assert store.get_conversation(c.id) == c
    assert store.get_conversation("nope") is None
    assert store.find_by_session("s-1") == c
    assert store.find_by_session("s-2") is None

    explicit = store.create_conversation(
        "Named", conversation_id="fixed-id", created_at=5.0, mode="agent", working_dir="/src/app"
    )
    assert (explicit.id, explicit.title, explicit.created_at) == ("fixed-id", "Named", 5.0)
    assert (explicit.mode, explicit.working_dir) == ("agent", "/src/app")
    assert store.count_conversations() == 2
    assert list(store.conversation_ids()) == ["fixed-id", c.id]  # by created_at


def test_duplicate_conversation_id_is_rejected(store: ConversationStore) -> None:
    store.create_conversation(conversation_id="same")
    with pytest.raises(sqlite3.IntegrityError):
        store.create_conversation(conversation_id="same")
    assert store.count_conversations() == 1
    assert not store.db.in_transaction


def test_list_orders_pinned_first_then_most_recent(store: ConversationStore, clock: FakeClock) -> None:
    a = store.create_conversation("a")
    clock.advance()
    b = store.create_conversation("b")
    clock.advance()
    c = store.create_conversation("c")
    assert [x.id for x in store.list_conversations()] == [c.id, b.id, a.id]

    clock.advance()
    store.add_message(a.id, Role.USER, "bump a")  # activity moves a to the top
    assert [x.id for x in store.list_conversations()] == [a.id, c.id, b.id]
    assert store.get_conversation(a.id).updated_at == clock.now  # type: ignore[union-attr]

    clock.advance()
    store.set_pinned(b.id, True)
    assert [x.id for x in store.list_conversations()] == [b.id, a.id, c.id]
    assert store.get_conversation(b.id).pinned is True  # type: ignore[union-attr]

    store.set_pinned(c.id, True)  # both pinned: newest pinned first
    assert [x.id for x in store.list_conversations()] == [c.id, b.id, a.id]
    assert [x.id for x in store.list_conversations(limit=2)] == [c.id, b.id]

    store.set_pinned(b.id, False)
    store.set_pinned(c.id, False)
    assert [x.id for x in store.list_conversations()] == [a.id, c.id, b.id]


def test_update_conversation_touch_and_unknown_field(store: ConversationStore, clock: FakeClock) -> None:
    c = store.create_conversation("t")
    clock.advance(10)
    store.rename(c.id, "renamed")  # a rename does not count as activity
    assert store.get_conversation(c.id).updated_at == c.updated_at  # type: ignore[union-attr]
    store.update_conversation(c.id, touch=True)
    assert store.get_conversation(c.id).updated_at == clock.now  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="unknown conversation fields"):
        store.update_conversation(c.id, updated_at=0, title="x")
    with pytest.raises(ValueError):
        store.update_conversation(c.id, **{"title = 'x' --": "y"})
    assert store.get_conversation(c.id).title == "renamed"  # type: ignore[union-attr]


def test_rename_strips_whitespace(store: ConversationStore) -> None:
    c = store.create_conversation("old")
    store.rename(c.id, "  New name \n")
    assert store.get_conversation(c.id).title == "New name"  # type: ignore[union-attr]


def test_draft_round_trip_and_persistence(store: ConversationStore, data_dir: Path) -> None:
    c = store.create_conversation()
    draft = "half-written\nprompt with ```code``` and unicode ✓"
    store.set_draft(c.id, draft)
    assert store.get_conversation(c.id).draft == draft  # type: ignore[union-attr]
    other = open_database(data_dir)
    try:
        assert ConversationStore(other.connection).get_conversation(c.id).draft == draft  # type: ignore[union-attr]
    finally:
        other.connection.close()
    store.set_draft(c.id, "")
    assert store.get_conversation(c.id).draft == ""  # type: ignore[union-attr]


def test_trash_and_restore(store: ConversationStore, clock: FakeClock) -> None:
    keep = store.create_conversation("keep")
    gone = store.create_conversation("gone")
    clock.advance(5)
    store.trash(gone.id)
    assert [x.id for x in store.list_conversations()] == [keep.id]
    trashed = store.list_conversations(trashed=True)
    assert [x.id for x in trashed] == [gone.id]
    assert trashed[0].trashed_at == clock.now
    assert store.count_conversations() == 2  # trashed, not deleted

    store.restore(gone.id)
    assert {x.id for x in store.list_conversations()} == {keep.id, gone.id}
    assert store.list_conversations(trashed=True) == []
    assert store.get_conversation(gone.id).trashed_at is None  # type: ignore[union-attr]


def test_delete_forever_cascades_messages_and_fts(store: ConversationStore) -> None:
    doomed = store.create_conversation()
    survivor = store.create_conversation()
    for i in range(3):
        store.add_message(doomed.id, Role.USER, f"zebracorn secret {i}")
        store.add_message(doomed.id, Role.ASSISTANT, f"reply about zebracorn {i}")
    store.add_message(survivor.id, Role.USER, "ordinary words zebracornish")
    assert fts_doc_count(store.db) == 7
    store.trash(doomed.id)
    store.delete_forever(doomed.id)

    assert store.get_conversation(doomed.id) is None
    assert store.messages(doomed.id) == []
    assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 1
    assert fts_doc_count(store.db) == 1
    fts_check(store.db)
    assert [h.conversation_id for h in store.search("zebracorn")] == [survivor.id]  # prefix match
    assert store.search("secret") == []
    assert store.list_conversations(trashed=True) == []


# -- titles ---------------------------------------------------------------------------------------


def test_first_user_prompt_names_the_conversation(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, Role.NOTICE, "Connected.")
    store.add_message(c.id, Role.ASSISTANT, "Hi, how can I help?")
    assert store.get_conversation(c.id).title == ""  # type: ignore[union-attr]
    store.add_message(c.id, Role.USER, "\n\n  How do   I use WAL?\nMore details here")
    assert store.get_conversation(c.id).title == "How do I use WAL?"  # type: ignore[union-attr]
    store.add_message(c.id, Role.USER, "A later question")
    assert store.get_conversation(c.id).title == "How do I use WAL?"  # type: ignore[union-attr]


def test_long_first_prompt_is_truncated_in_title(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, Role.USER, "please " * 50 + "\nsecond")
    title = store.get_conversation(c.id).title  # type: ignore[union-attr]
    assert len(title) <= TITLE_LENGTH and title.endswith("…") and title.startswith("please please")


def test_explicit_title_is_not_overwritten(store: ConversationStore) -> None:
    c = store.create_conversation("My title")
    store.add_message(c.id, Role.USER, "Some prompt")
    assert store.get_conversation(c.id).title == "My title"  # type: ignore[union-attr]
    d = store.create_conversation()
    store.rename(d.id, "Renamed first")
    store.add_message(d.id, Role.USER, "Some prompt")
    assert store.get_conversation(d.id).title == "Renamed first"  # type: ignore[union-attr]


# -- messages -------------------------------------------------------------------------------------


def test_seq_increments_per_conversation(store: ConversationStore, clock: FakeClock) -> None:
    a = store.create_conversation()
    b = store.create_conversation()
    seqs_a = [store.add_message(a.id, Role.USER, f"a{i}").seq for i in range(3)]
    seqs_b = [store.add_message(b.id, Role.USER, f"b{i}").seq for i in range(2)]
    seqs_a.append(store.add_message(a.id, Role.ASSISTANT, "a3").seq)
    assert seqs_a == [1, 2, 3, 4]
    assert seqs_b == [1, 2]
    assert [m.content for m in store.messages(a.id)] == ["a0", "a1", "a2", "a3"]
    assert [m.seq for m in store.messages(b.id)] == [1, 2]
    assert store.messages("unknown") == []


def test_add_message_returns_stored_message(store: ConversationStore, clock: FakeClock) -> None:
    c = store.create_conversation()
    clock.advance(3)
    m = store.add_message(c.id, Role.ASSISTANT, "body", message_id="m-1", model="gpt-5")
    assert m == store.get_message("m-1")
    assert (m.id, m.conversation_id, m.role, m.content, m.status) == (
        "m-1",
        c.id,
        Role.ASSISTANT,
        "body",
        Status.COMPLETE,
    )
    assert m.created_at == m.updated_at == clock.now
    assert (m.reasoning, m.error, m.input_tokens, m.output_tokens, m.duration_ms, m.ttft_ms) == (
        "",
        "",
        None,
        None,
        None,
        None,
    )
    assert store.get_message("missing") is None


def test_message_for_unknown_conversation_is_rejected(store: ConversationStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.add_message("no-such-conversation", Role.USER, "orphan")
    assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    assert not store.db.in_transaction


def test_update_message_content_and_fts_follows(store: ConversationStore, clock: FakeClock) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.ASSISTANT, "", status=Status.STREAMING)
    store.update_message(m.id, content="partial alphaword")
    assert hit_ids(store, "alphaword") == {m.id}
    clock.advance(2)
    store.update_message(m.id, content="final betaword only")
    updated = store.get_message(m.id)
    assert updated is not None
    assert updated.content == "final betaword only"
    assert updated.updated_at == clock.now and updated.created_at == m.created_at
    assert store.search("alphaword") == []
    assert hit_ids(store, "betaword") == {m.id}
    assert fts_doc_count(store.db) == 1
    fts_check(store.db)

    store.update_message(m.id, status=Status.COMPLETE)  # non-content update keeps the index
    assert hit_ids(store, "betaword") == {m.id}
    fts_check(store.db)


@pytest.mark.parametrize("status", list(Status))
def test_status_round_trip(store: ConversationStore, status: Status) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.ASSISTANT, "x", status=status)
    assert store.get_message(m.id).status is status  # type: ignore[union-attr]
    other = Status.COMPLETE if status is not Status.COMPLETE else Status.ERROR
    store.update_message(m.id, status=other)
    assert store.get_message(m.id).status is other  # type: ignore[union-attr]
    store.update_message(m.id, status=status.value)  # plain strings are accepted too
    assert store.get_message(m.id).status is status  # type: ignore[union-attr]


def test_invalid_status_is_rejected_by_schema(store: ConversationStore) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.ASSISTANT, "x")
    with pytest.raises(sqlite3.IntegrityError):
        store.update_message(m.id, status="bogus")
    assert store.get_message(m.id).status is Status.COMPLETE  # type: ignore[union-attr]
    assert not store.db.in_transaction


def test_usage_fields(store: ConversationStore) -> None:
    c = store.create_conversation()
    m = store.add_message(
        c.id,
        Role.ASSISTANT,
        "answer",
        model="gpt-5",
        reasoning="thinking...",
        input_tokens=120,
        output_tokens=45,
        duration_ms=1234.5,
        ttft_ms=210.25,
    )
    got = store.get_message(m.id)
    assert got is not None
    assert (got.model, got.reasoning, got.input_tokens, got.output_tokens) == (
        "gpt-5",
        "thinking...",
        120,
        45,
    )
    assert (got.duration_ms, got.ttft_ms) == (1234.5, 210.25)

    store.update_message(
        m.id, output_tokens=99, duration_ms=2000.0, error="rate limited", status=Status.ERROR
    )
    got = store.get_message(m.id)
    assert got is not None
    assert (got.output_tokens, got.duration_ms, got.error, got.status) == (
        99,
        2000.0,
        "rate limited",
        Status.ERROR,
    )
    assert got.input_tokens == 120  # untouched fields keep their value


def test_unknown_message_field_raises(store: ConversationStore) -> None:
    c = store.create_conversation()
    with pytest.raises(ValueError, match="unknown message fields"):
        store.add_message(c.id, Role.USER, "x", tokens=3)
    assert store.messages(c.id) == []
    m = store.add_message(c.id, Role.USER, "x")
    with pytest.raises(ValueError, match="unknown message fields"):
        store.update_message(m.id, content="y", seq=7)
    with pytest.raises(ValueError):
        store.update_message(m.id, role="assistant")
    got = store.get_message(m.id)
    assert got is not None and (got.content, got.seq, got.role) == ("x", 1, Role.USER)


def test_mark_interrupted_only_touches_streaming(store: ConversationStore) -> None:
    a = store.create_conversation()
    b = store.create_conversation()
    idle = store.create_conversation()
    s1 = store.add_message(a.id, Role.ASSISTANT, "cut", status=Status.STREAMING)
    s2 = store.add_message(a.id, Role.ASSISTANT, "cut too", status=Status.STREAMING)
    s3 = store.add_message(b.id, Role.ASSISTANT, "cut b", status=Status.STREAMING)
    others = {
        store.add_message(idle.id, Role.ASSISTANT, "x", status=st).id: st
        for st in (Status.COMPLETE, Status.ABORTED, Status.ERROR, Status.INTERRUPTED)
    }

    ids = store.mark_interrupted()
    assert sorted(ids) == sorted([a.id, b.id])  # each conversation once
    for m in (s1, s2, s3):
        assert store.get_message(m.id).status is Status.INTERRUPTED  # type: ignore[union-attr]
    for mid, st in others.items():
        assert store.get_message(mid).status is st  # type: ignore[union-attr]
    assert store.mark_interrupted() == []


# -- search --------------------------------------------------------------------------------------


@pytest.fixture
def corpus(store: ConversationStore) -> dict[str, str]:
    """A few messages to search; returns name -> message id."""
    c1 = store.create_conversation("Databases")
    c2 = store.create_conversation("Cooking")
    ids = {
        "wal": store.add_message(c1.id, Role.USER, "How does write-ahead logging work in SQLite?").id,
        "wal_answer": store.add_message(
            c1.id,
            Role.ASSISTANT,
            "SQLite **logging** uses a WAL file:\n```sql\nPRAGMA journal_mode=WAL;\n```",
        ).id,
        "cafe": store.add_message(c2.id, Role.USER, "Best café crème recipe from a résumé of Paris").id,
        "plain": store.add_message(c2.id, Role.ASSISTANT, "A plain cafe answer with naive wording").id,
    }
    return ids


def test_search_prefix_matches_last_word_only(store: ConversationStore, corpus: dict[str, str]) -> None:
    assert hit_ids(store, "log") == {corpus["wal"], corpus["wal_answer"]}
    assert hit_ids(store, "logging") == {corpus["wal"], corpus["wal_answer"]}
    assert hit_ids(store, "sqlite writ") == {corpus["wal"]}
    assert hit_ids(store, "sql") == {corpus["wal"], corpus["wal_answer"]}
    assert store.search("writ sqlite") == []  # earlier words must match whole
    assert store.search("logginga") == []


def test_search_requires_every_word(store: ConversationStore, corpus: dict[str, str]) -> None:
    assert hit_ids(store, "sqlite logging") == {corpus["wal"], corpus["wal_answer"]}
    assert hit_ids(store, "journal_mode wal") == {corpus["wal_answer"]}
    assert hit_ids(store, "logging recipe") == set()
    assert hit_ids(store, "SQLITE Logging") == {corpus["wal"], corpus["wal_answer"]}  # case-insensitive


def test_search_hit_fields(store: ConversationStore, corpus: dict[str, str]) -> None:
    hits = store.search("recipe")
    assert len(hits) == 1
    hit = hits[0]
    assert hit.message_id == corpus["cafe"]
    assert hit.role is Role.USER
    conversation = store.get_conversation(hit.conversation_id)
    assert conversation is not None
    assert hit.conversation_title == conversation.title == "Cooking"
    assert hit.updated_at == conversation.updated_at


def test_search_snippet_highlights_the_match(store: ConversationStore, corpus: dict[str, str]) -> None:
    (hit,) = store.search("recipe")
    assert f"{HIGHLIGHT_START}recipe{HIGHLIGHT_END}" in hit.snippet
    (hit,) = store.search("Pari")  # prefix: the whole token is highlighted
    assert f"{HIGHLIGHT_START}Paris{HIGHLIGHT_END}" in hit.snippet
    for hit in store.search("sqlite logging"):
        assert f"{HIGHLIGHT_START}SQLite{HIGHLIGHT_END}" in hit.snippet
        assert f"{HIGHLIGHT_START}logging{HIGHLIGHT_END}" in hit.snippet


def test_snippet_of_long_message_is_short(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, Role.ASSISTANT, "filler " * 2000 + "needle " + "filler " * 2000)
    (hit,) = store.search("needle")
    assert f"{HIGHLIGHT_START}needle{HIGHLIGHT_END}" in hit.snippet
    assert "…" in hit.snippet
    assert len(hit.snippet) < 200


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        '"unbalanced quote',
        "*",
        "**",
        "sql*",
        "NEAR(",
        "NEAR(sqlite logging)",
        "sqlite NEAR logging",
        "-",
        "-sqlite",
        "sqlite -logging",
        ":",
        "content:sqlite",
        "messages_fts:sqlite",
        "AND",
        "OR",
        "NOT",
        "sqlite OR",
        "sqlite AND NOT logging",
        "(",
        ")",
        "(sqlite",
        "^sqlite",
        "+",
        "{content}: sqlite",
        "'",
        "\\",
        "%",
        "_",
        "a_",
        "\x00",
        "\x02\x03",
        "😀",
        "   ",
        "",
        "x" * 2000,
        "w " * 300,
        "'; DROP TABLE messages; --",
    ],
)
def test_search_never_raises_on_user_input(
    store: ConversationStore, corpus: dict[str, str], text: str
) -> None:
    hits = store.search(text)
    assert isinstance(hits, list)
    assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 4


def test_search_syntax_characters_are_plain_separators(
    store: ConversationStore, corpus: dict[str, str]
) -> None:
    both = {corpus["wal"], corpus["wal_answer"]}
    assert hit_ids(store, '"sqlite"') == both
    assert hit_ids(store, "sqlite*") == both
    assert hit_ids(store, "NEAR(sqlite logging)") == set()  # "near" is a word that must be present
    assert hit_ids(store, "write-ahead") == {corpus["wal"]}
    assert hit_ids(store, "sqlite -logging") == both  # not a NOT operator
    assert hit_ids(store, "content:sqlite") == set()  # not a column filter: 'content' must appear
    assert store.search('"*-:()^') == []


def test_search_ignores_diacritics(store: ConversationStore, corpus: dict[str, str]) -> None:
    both = {corpus["cafe"], corpus["plain"]}
    assert hit_ids(store, "cafe") == both
    assert hit_ids(store, "café") == both
    assert hit_ids(store, "CAFÉ") == both
    assert hit_ids(store, "resume") == {corpus["cafe"]}
    assert hit_ids(store, "naïve") == {corpus["plain"]}
    assert hit_ids(store, "creme") == {corpus["cafe"]}


def test_search_finds_decomposed_content(store: ConversationStore) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.USER, unicodedata.normalize("NFD", "un résumé naïf"))
    assert hit_ids(store, "resume") == {m.id}
    assert hit_ids(store, "résumé naïf") == {m.id}


def test_search_with_decomposed_query(store: ConversationStore) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.USER, "un résumé naïf")
    assert hit_ids(store, unicodedata.normalize("NFD", "résumé")) == {m.id}


def test_search_excludes_trashed_conversations(store: ConversationStore) -> None:
    keep = store.create_conversation()
    bin_ = store.create_conversation()
    store.add_message(keep.id, Role.USER, "shared quokka")
    store.add_message(bin_.id, Role.USER, "shared quokka in the bin")
    store.trash(bin_.id)
    assert {h.conversation_id for h in store.search("quokka")} == {keep.id}
    assert store.search("bin") == []
    store.restore(bin_.id)
    assert {h.conversation_id for h in store.search("quokka")} == {keep.id, bin_.id}


def test_search_limit(store: ConversationStore) -> None:
    c = store.create_conversation()
    for i in range(30):
        store.add_message(c.id, Role.USER, f"repeated pelican number {i}")
    assert len(store.search("pelican")) == 30
    assert len(store.search("pelican", limit=7)) == 7
    assert len(store.search("pelican", limit=1)) == 1
    assert len(store.search("pelican", limit=100)) == 30


def test_search_empty_database(store: ConversationStore) -> None:
    assert store.search("anything") == []


# -- change notifications --------------------------------------------------------------------------


def test_changed_callbacks_fire_for_every_kind_of_change(store: ConversationStore) -> None:
    heard: list[str] = []
    store.changed.subscribe(heard.append)
    also: list[str] = []
    store.changed.subscribe(also.append)

    c = store.create_conversation()
    assert heard == [c.id]
    steps = [
        lambda: store.rename(c.id, "t"),
        lambda: store.set_pinned(c.id, True),
        lambda: store.set_draft(c.id, "draft"),
        lambda: store.update_conversation(c.id, mode="agent", working_dir="/src"),
        lambda: store.update_conversation(c.id, touch=True),
        lambda: store.add_message(c.id, Role.USER, "hi", message_id="m"),
        lambda: store.trash(c.id),
        lambda: store.restore(c.id),
        lambda: store.delete_forever(c.id),
    ]
    for step in steps:
        heard.clear()
        step()
        assert heard == [c.id]
    assert also == [c.id] * (len(steps) + 1)


def test_message_updates_are_heard_separately(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, Role.ASSISTANT, "", status=Status.STREAMING, message_id="m")
    conversations: list[str] = []
    messages: list[str] = []
    store.changed.subscribe(conversations.append)
    store.message_changed.subscribe(messages.append)
    store.update_message("m", content="streaming text")
    store.update_message("m", status=Status.COMPLETE)
    assert messages == ["m", "m"]
    assert conversations == []  # a streaming reply does not make conversation lists reload


@pytest.mark.expected_warnings
def test_a_subscriber_that_raises_spoils_neither_the_write_nor_the_others(
    store: ConversationStore, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_conversation_id: str) -> None:
        raise RuntimeError("subscriber bug")

    heard: list[str] = []
    store.changed.subscribe(broken)
    unsubscribe = store.changed.subscribe(heard.append)
    c = store.create_conversation("kept")
    assert heard == [c.id] and store.get_conversation(c.id) is not None
    assert "subscriber bug" in caplog.text
    unsubscribe()
    store.rename(c.id, "renamed")
    assert heard == [c.id]  # no longer subscribed


def test_list_pages(store: ConversationStore) -> None:
    ids = [store.create_conversation(created_at=float(i)).id for i in range(5)]
    first = store.list_conversations(limit=2)
    second = store.list_conversations(limit=2, offset=2)
    rest = store.list_conversations(limit=2, offset=4)
    assert [c.id for c in first + second + rest] == [c.id for c in store.list_conversations()]
    assert sorted(c.id for c in first + second + rest) == sorted(ids)


def test_no_callback_for_rejected_or_empty_changes(store: ConversationStore) -> None:
    c = store.create_conversation()
    heard: list[str] = []
    store.changed.subscribe(heard.append)
    store.update_conversation(c.id)  # nothing to change
    store.update_message("missing", content="x")  # no such message
    with pytest.raises(ValueError):
        store.update_conversation(c.id, bogus=1)
    with pytest.raises(sqlite3.IntegrityError):
        store.add_message("missing", Role.USER, "x")
    assert heard == []


def test_mark_interrupted_notifies(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, Role.ASSISTANT, "cut", status=Status.STREAMING)
    heard: list[str] = []
    store.changed.subscribe(heard.append)
    store.mark_interrupted()
    assert heard == [c.id]


# -- transactions and concurrency -----------------------------------------------------------------


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
