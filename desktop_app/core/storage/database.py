"""Opening the database: WAL, forward-only migrations, and no data ever lost to a bad file.

A database written by a newer app is refused (never overwritten); a corrupt file is moved aside and a
fresh one started, and the caller gets a message saying so.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

DB_FILE = "conversations.sqlite3"


class DatabaseTooNewError(RuntimeError):
    """The file was written by a newer version of the app; it is left untouched."""


class StorageError(RuntimeError):
    """The database cannot be used (read-only dir, full disk...); the message is for the user."""


# Forward-only: each entry takes the schema from version N to N + 1. Never edit a released one.
_V1 = """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            pinned INTEGER NOT NULL DEFAULT 0,
            trashed_at REAL,
            session_id TEXT,
            model TEXT NOT NULL DEFAULT '',
            provider TEXT NOT NULL DEFAULT '',
            draft TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX conversations_by_recency
            ON conversations (trashed_at, pinned DESC, updated_at DESC);
        CREATE INDEX conversations_by_session ON conversations (session_id);

        CREATE TABLE messages (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'notice')),
            content TEXT NOT NULL DEFAULT '',
            reasoning TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'complete'
                CHECK (status IN ('streaming', 'complete', 'interrupted', 'aborted', 'error')),
            model TEXT NOT NULL DEFAULT '',
            input_tokens INTEGER,
            output_tokens INTEGER,
            duration_ms REAL,
            ttft_ms REAL,
            error TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (conversation_id, seq)
        );

        CREATE VIRTUAL TABLE messages_fts USING fts5(
            content, content='messages', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, new.content);
        END;
        CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content)
                VALUES ('delete', old.rowid, old.content);
        END;
        CREATE TRIGGER messages_au AFTER UPDATE OF content ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content)
                VALUES ('delete', old.rowid, old.content);
            INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, new.content);
        END;
"""

# Agent mode: a conversation's mode and folder, its tool calls (placed in the reply they happened in,
# at the length its text had when the call started), and the permission answers the user kept.
_V2 = """
        ALTER TABLE conversations ADD COLUMN mode TEXT NOT NULL DEFAULT 'chat';
        ALTER TABLE conversations ADD COLUMN working_dir TEXT NOT NULL DEFAULT '';

        CREATE TABLE tool_calls (
            conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            message_id TEXT REFERENCES messages (id) ON DELETE SET NULL,
            offset INTEGER NOT NULL DEFAULT 0,
            name TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            arguments TEXT NOT NULL DEFAULT '',
            command TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('pending', 'running', 'done', 'failed', 'denied')),
            output TEXT NOT NULL DEFAULT '',
            result TEXT NOT NULL DEFAULT '',
            error TEXT NOT NULL DEFAULT '',
            exit_code INTEGER,
            files TEXT NOT NULL DEFAULT '[]',
            permission TEXT NOT NULL DEFAULT '',
            decision TEXT NOT NULL DEFAULT '',
            started_at REAL NOT NULL,
            finished_at REAL,
            parent_id TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (conversation_id, id),
            UNIQUE (conversation_id, seq)
        );
        CREATE INDEX tool_calls_by_message ON tool_calls (message_id);

        CREATE TABLE permission_rules (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            scope TEXT NOT NULL,
            value TEXT NOT NULL,
            conversation_id TEXT REFERENCES conversations (id) ON DELETE CASCADE,
            created_at REAL NOT NULL
        );
        CREATE INDEX permission_rules_by_conversation ON permission_rules (conversation_id);
"""

# Models as Copilot offers them: each conversation's reasoning effort ("": the model's default).
_V3 = """
        ALTER TABLE conversations ADD COLUMN reasoning_effort TEXT NOT NULL DEFAULT '';
"""

# Premium usage: what each reply cost in premium requests, so a reopened conversation shows its cost.
_V4 = """
        ALTER TABLE messages ADD COLUMN premium_cost REAL;
"""

# Attachments: a prompt's files and images, in order, and their bytes once per content (SHA-256);
# bytes no attachment uses any more go with the last one that did.
_V5 = """
        CREATE TABLE attachment_blobs (
            sha256 TEXT PRIMARY KEY,
            data BLOB NOT NULL
        );
        CREATE TABLE message_attachments (
            message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('image', 'text', 'folder')),
            mime TEXT NOT NULL DEFAULT '',
            path TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL REFERENCES attachment_blobs (sha256),
            PRIMARY KEY (message_id, seq)
        );
        CREATE INDEX message_attachments_by_blob ON message_attachments (sha256);
        CREATE TRIGGER message_attachments_ad AFTER DELETE ON message_attachments BEGIN
            DELETE FROM attachment_blobs WHERE sha256 = old.sha256
                AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256);
        END;
"""

# Versions and branches: an edited or regenerated prompt keeps what it replaced as a hidden
# conversation holding those messages (``message_versions`` says where it hangs); a conversation
# branched from another names its origin. A conversation's kept versions go with it.
_V6 = """
        ALTER TABLE conversations ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversations ADD COLUMN origin_id TEXT NOT NULL DEFAULT '';
        CREATE TABLE message_versions (
            id TEXT PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
            conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            at_seq INTEGER NOT NULL,
            hangs_in TEXT NOT NULL DEFAULT '',
            started_at REAL NOT NULL
        );
        CREATE INDEX message_versions_by_place ON message_versions (conversation_id, hangs_in, at_seq);
        CREATE TRIGGER conversations_bd BEFORE DELETE ON conversations BEGIN
            DELETE FROM conversations
                WHERE id IN (SELECT id FROM message_versions WHERE conversation_id = old.id);
        END;
"""

# A streaming reply is not indexed until it ends: each flush (every 200 ms) re-tokenized the whole
# growing text (6.6 ms a flush at 100 KB, on the screen's thread), and nobody searches a reply that
# is still arriving. The index reads a view that shows a streaming row as empty, so the index stays
# consistent with what it was given; the end of the reply (or a restart's recovery) indexes it.
_INDEXED = "CASE {row}.status WHEN 'streaming' THEN '' ELSE {row}.content END"
_V7 = f"""
        DROP TRIGGER messages_ai;
        DROP TRIGGER messages_ad;
        DROP TRIGGER messages_au;
        DROP TABLE messages_fts;
        CREATE VIEW messages_indexed (message_rowid, content) AS
            SELECT rowid, {_INDEXED.format(row="messages")} FROM messages;
        CREATE VIRTUAL TABLE messages_fts USING fts5(
            content, content='messages_indexed', content_rowid='message_rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, {_INDEXED.format(row="new")});
        END;
        CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content)
                VALUES ('delete', old.rowid, {_INDEXED.format(row="old")});
        END;
        CREATE TRIGGER messages_au AFTER UPDATE OF content, status ON messages
            WHEN old.status != 'streaming' OR new.status != 'streaming' BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, content)
                VALUES ('delete', old.rowid, {_INDEXED.format(row="old")});
            INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, {_INDEXED.format(row="new")});
        END;
        INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
"""

MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass
class OpenResult:
    connection: sqlite3.Connection
    path: Path
    notice: str | None = None  # something the user should be told (e.g. a file was moved aside)


def _connect(path: Path) -> sqlite3.Connection:
    """Connect and read the header; changes nothing in the file yet."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 5000")
        _check(db)
    except BaseException:
        db.close()
        raise
    return db


def _use_wal(db: sqlite3.Connection) -> None:
    """Only once the version is known to be ours: switching to WAL rewrites the file header."""
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        log.info("SQLite journal mode is %s (WAL unavailable here)", mode)
    db.execute("PRAGMA synchronous = NORMAL")


def migrate(db: sqlite3.Connection, path: Path) -> None:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise DatabaseTooNewError(
            f"{path} was written by a newer version of Copilot Desktop (schema {version}; this "
            f"version knows {SCHEMA_VERSION}). It has not been changed: update the app to open it."
        )
    # One script, one transaction per migration: a failed one leaves the previous version intact.
    # A new file has no previous version to keep: it gets them all in one transaction, one commit
    # (a commit waits for the disk twice; five of them were ~20 ms of a first start).
    steps = (
        [range(0, SCHEMA_VERSION)]
        if version == 0
        else [range(n, n + 1) for n in range(version, SCHEMA_VERSION)]
    )
    for step in steps:
        scripts = "\n".join(MIGRATIONS[number] for number in step)
        try:
            db.executescript(f"BEGIN IMMEDIATE;\n{scripts}\nPRAGMA user_version = {step[-1] + 1};\nCOMMIT;")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def _check(db: sqlite3.Connection) -> None:
    """Cheap corruption check: reading the header and schema fails on a damaged file."""
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    result = db.execute("PRAGMA quick_check(1)").fetchone()[0]
    if result != "ok":
        raise sqlite3.DatabaseError(f"quick_check: {result}")


def open_database(data_dir: Path, clock: Callable[[], float] = time.time) -> OpenResult:
    """Open (creating or migrating) the database under ``data_dir``."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Cannot create the data folder {data_dir}: {exc.strerror}") from exc
    path = data_dir / DB_FILE
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(f"{path} is read-only: conversations cannot be saved until it is writable.")
    notice = None
    try:
        db = _connect(path)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and _is_access_problem(exc):
            raise StorageError(f"Cannot open {path}: {exc}") from exc
        kept = _aside_name(path, clock)
        _move_aside(path, kept)
        notice = (
            f"The conversation database was damaged ({exc}). It was kept as {kept.name} "
            "and a new, empty one was started."
        )
        log.warning("%s", notice)
        db = _connect(path)
    try:
        migrate(db, path)
        _use_wal(db)
    except BaseException:
        db.close()
        raise
    return OpenResult(db, path, notice)


def _aside_name(path: Path, clock: Callable[[], float]) -> Path:
    """A name for the damaged file that never replaces an earlier kept one."""
    stamp = int(clock())
    candidate = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    n = 1
    while any(Path(str(candidate) + s).exists() for s in ("", "-wal", "-shm")):
        candidate = path.with_name(f"{path.stem}.corrupt-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def _is_access_problem(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    # "locked"/"busy": another process holds it; that file is healthy and must not be moved aside.
    words = ("readonly", "read-only", "unable to open", "disk i/o", "full", "locked", "busy")
    return any(word in text for word in words)


def _move_aside(path: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        if source.exists():
            source.replace(Path(str(target) + suffix))
