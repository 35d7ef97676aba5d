"""Shared by the store's tests (in store/): a clock the test moves by hand, and probes of the SQLite file."""

from __future__ import annotations

import sqlite3

from desktop_app.core.storage.conversation_store import ConversationStore


class FakeClock:
    """Time that moves only when the test moves it, so ordering and timestamps are exact."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float = 1.0) -> float:
        self.now += seconds
        return self.now


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
