"""Versions of a conversation's turns (Edit, Regenerate) and branches (Branch from here).

A conversation's messages are its live path. Editing or regenerating a prompt keeps what it replaces
(that prompt and everything after it) as a *version*: a hidden conversation row holding those very
message rows (moved, not copied: their ids, attachments and tool calls go with them) and the Copilot
session that has exactly that history. ``message_versions`` says where a version hangs: at which
seq, and on the live path (``hangs_in`` "") or inside another kept version (the versions of later
prompts travel with the tail they belong to). Switching puts the live tail away as a version and
moves the chosen one back, so the search, the exports and the view only ever see one linear path.

Every method is one transaction; subscribers of the store's ``changed`` hear the conversation.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.models import Conversation, KeptVersion

LIVE = ""  # in ``Place.ids``: the live path's own messages


@dataclass(frozen=True)
class Place:
    """The versions at one seq: ``ids`` in the order they were first written (LIVE among them)."""

    seq: int
    ids: tuple[str, ...]

    @property
    def position(self) -> int:
        """The live one's, from 1."""
        return self.ids.index(LIVE) + 1

    @property
    def count(self) -> int:
        return len(self.ids)


class ConversationVersions:
    """The versions and branches of the store's conversations."""

    def __init__(self, store: ConversationStore) -> None:
        self.store = store

    # -- reading ----------------------------------------------------------------------------
    def places(self, conversation_id: str) -> dict[str, Place]:
        """By the id of the live message that has versions: where it stands among them."""
        db = self.store.db
        kept: dict[int, list[tuple[float, str]]] = {}
        for row in db.execute(
            "SELECT id, at_seq, started_at FROM message_versions WHERE conversation_id = ? AND hangs_in = ''",
            (conversation_id,),
        ):
            kept.setdefault(int(row["at_seq"]), []).append((float(row["started_at"]), str(row["id"])))
        places: dict[str, Place] = {}
        for seq, versions in kept.items():
            live = db.execute(
                "SELECT id, created_at FROM messages WHERE conversation_id = ? AND seq = ?",
                (conversation_id, seq),
            ).fetchone()
            if live is None:
                continue  # the new version's first message is not written yet
            ordered = sorted([*versions, (float(live["created_at"]), LIVE)])
            places[str(live["id"])] = Place(seq, tuple(version for _at, version in ordered))
        return places

    def kept(self, conversation_id: str) -> list[KeptVersion]:
        """Every version the conversation keeps, with its messages and tool calls (for a backup)."""
        rows = self.store.db.execute(
            "SELECT v.id, v.at_seq, v.hangs_in, v.started_at, c.session_id FROM message_versions v "
            "JOIN conversations c ON c.id = v.id WHERE v.conversation_id = ? ORDER BY v.started_at, v.id",
            (conversation_id,),
        ).fetchall()
        return [
            KeptVersion(
                str(row["id"]),
                int(row["at_seq"]),
                str(row["hangs_in"]),
                float(row["started_at"]),
                None if row["session_id"] is None else str(row["session_id"]),
                self.store.messages(str(row["id"])),
                self.store.tool_calls(str(row["id"])),
            )
            for row in rows
        ]

    # -- writing ----------------------------------------------------------------------------
    def put_away(self, conversation_id: str, at_seq: int, session_id: str | None) -> str:
        """Keep the live messages from ``at_seq`` on as a version (with ``session_id``, the session
        whose history they are, and the versions of later prompts); the live path ends before it."""
        with self.store.transaction() as db:
            version_id = self._put_away(db, conversation_id, at_seq)
            db.execute("UPDATE conversations SET session_id = ? WHERE id = ?", (session_id, version_id))
        self.store.changed.publish(conversation_id)
        return version_id

    def switch(self, conversation_id: str, message_id: str, step: int) -> bool:
        """Show the version ``step`` places from the live one at ``message_id``'s seq: the live tail
        is kept as a version and the chosen one becomes the live path, with its session (False:
        there is none that way)."""
        place = self.places(conversation_id).get(message_id)
        if place is None or not 0 <= place.position - 1 + step < place.count:
            return False
        chosen = place.ids[place.position - 1 + step]
        with self.store.transaction() as db:
            current = db.execute(
                "SELECT session_id FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            kept = self._put_away(db, conversation_id, place.seq)
            db.execute("UPDATE conversations SET session_id = ? WHERE id = ?", (current[0], kept))
            self._bring_back(db, conversation_id, chosen)
        self.store.changed.publish(conversation_id)
        return True

    def branch(self, conversation_id: str, last_seq: int, session_id: str | None) -> Conversation:
        """A new conversation (listed, naming its origin) with copies of the messages up to
        ``last_seq``, their attachments and tool calls, continuing in ``session_id``."""
        new_id = str(uuid.uuid4())
        now = self.store.clock()
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO conversations (id, title, created_at, updated_at, pinned, session_id, model, "
                "provider, draft, mode, working_dir, reasoning_effort, origin_id) "
                "SELECT ?, title, ?, ?, 0, ?, model, provider, '', mode, working_dir, reasoning_effort, id "
                "FROM conversations WHERE id = ?",
                (new_id, now, now, session_id, conversation_id),
            )
            ids = {
                str(row[0]): str(uuid.uuid4())
                for row in db.execute(
                    "SELECT id FROM messages WHERE conversation_id = ? AND seq <= ? ORDER BY seq",
                    (conversation_id, last_seq),
                )
            }
            for old, new in ids.items():
                _copy_message(db, old, new, new_id)
            _copy_tool_calls(db, conversation_id, new_id, ids)
        self.store.changed.publish(new_id)
        conversation = self.store.get_conversation(new_id)
        assert conversation is not None
        return conversation

    # -- inside a transaction -----------------------------------------------------------------
    def _put_away(self, db: sqlite3.Connection, conversation_id: str, at_seq: int) -> str:
        version_id = str(uuid.uuid4())
        first = db.execute(
            "SELECT min(created_at) FROM messages WHERE conversation_id = ? AND seq >= ?",
            (conversation_id, at_seq),
        ).fetchone()[0]
        db.execute(
            "INSERT INTO conversations (id, title, created_at, updated_at, model, provider, mode, "
            "working_dir, reasoning_effort, hidden) SELECT ?, title, ?, ?, model, provider, mode, "
            "working_dir, reasoning_effort, 1 FROM conversations WHERE id = ?",
            (version_id, self.store.clock(), self.store.clock(), conversation_id),
        )
        db.execute(
            "INSERT INTO message_versions (id, conversation_id, at_seq, hangs_in, started_at) "
            "VALUES (?, ?, ?, '', ?)",
            (version_id, conversation_id, at_seq, self.store.clock() if first is None else first),
        )
        # The versions of later prompts belong to the tail put away.
        db.execute(
            "UPDATE message_versions SET hangs_in = ? WHERE conversation_id = ? AND hangs_in = '' "
            "AND at_seq > ?",
            (version_id, conversation_id, at_seq),
        )
        tail = "SELECT id FROM messages WHERE conversation_id = ? AND seq >= ?"
        db.execute(
            f"UPDATE tool_calls SET conversation_id = ? WHERE conversation_id = ? AND message_id IN ({tail})",
            (version_id, conversation_id, conversation_id, at_seq),
        )
        db.execute(
            "UPDATE messages SET conversation_id = ? WHERE conversation_id = ? AND seq >= ?",
            (version_id, conversation_id, at_seq),
        )
        return version_id

    def _bring_back(self, db: sqlite3.Connection, conversation_id: str, version_id: str) -> None:
        """Make the kept version the live tail again, in its session."""
        after = db.execute(
            "SELECT coalesce(max(seq), 0) FROM tool_calls WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()[0]
        db.execute(  # numbered after the live path's calls, in their order
            "UPDATE tool_calls SET conversation_id = ?, seq = seq + ? WHERE conversation_id = ?",
            (conversation_id, after, version_id),
        )
        db.execute(
            "UPDATE messages SET conversation_id = ? WHERE conversation_id = ?", (conversation_id, version_id)
        )
        db.execute(
            "UPDATE message_versions SET hangs_in = '' WHERE conversation_id = ? AND hangs_in = ?",
            (conversation_id, version_id),
        )
        session = db.execute("SELECT session_id FROM conversations WHERE id = ?", (version_id,)).fetchone()
        db.execute("DELETE FROM conversations WHERE id = ?", (version_id,))
        db.execute(
            "UPDATE conversations SET session_id = ?, updated_at = ? WHERE id = ?",
            (None if session is None else session[0], self.store.clock(), conversation_id),
        )


def _copy_message(db: sqlite3.Connection, old: str, new: str, conversation_id: str) -> None:
    columns = [row[1] for row in db.execute("PRAGMA table_info(messages)") if row[1] not in ("id",)]
    rest = [c for c in columns if c != "conversation_id"]
    db.execute(
        f"INSERT INTO messages (id, conversation_id, {', '.join(rest)}) "
        f"SELECT ?, ?, {', '.join(rest)} FROM messages WHERE id = ?",
        (new, conversation_id, old),
    )
    db.execute(
        "INSERT INTO message_attachments (message_id, seq, name, kind, mime, path, sha256) "
        "SELECT ?, seq, name, kind, mime, path, sha256 FROM message_attachments WHERE message_id = ?",
        (new, old),
    )


def _copy_tool_calls(
    db: sqlite3.Connection, source: str, conversation_id: str, message_ids: dict[str, str]
) -> None:
    columns = [row[1] for row in db.execute("PRAGMA table_info(tool_calls)")]
    rest = [c for c in columns if c not in ("conversation_id", "message_id")]
    for old, new in message_ids.items():
        db.execute(
            f"INSERT INTO tool_calls (conversation_id, message_id, {', '.join(rest)}) "
            f"SELECT ?, ?, {', '.join(rest)} FROM tool_calls WHERE conversation_id = ? AND message_id = ?",
            (conversation_id, new, source, old),
        )
