"""Reading and writing conversations; every method is one short transaction."""

from __future__ import annotations

import dataclasses
import logging
import re
import sqlite3
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from desktop_app.core.conversation.tool_calls import TOOL_INTERRUPTED, ToolCall
from desktop_app.core.storage import attachment_rows, import_rows
from desktop_app.core.storage.models import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    TOOL_CALL_FIELDS,
    Conversation,
    ConversationWithMessages,
    ImportResult,
    Message,
    Role,
    SavedToolCall,
    SearchHit,
    Status,
)
from desktop_app.core.storage.stored_values import storable
from desktop_app.core.storage.table_rows import (
    read_conversation,
    read_message,
    read_tool_call,
    tool_call_values,
)
from desktop_app.core.vocabulary.attachments import Attachment
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.permission_requests import RequestKind, Rule, RuleScope

log = logging.getLogger(__name__)

TITLE_LENGTH = 80
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def title_from_prompt(prompt: str) -> str:
    """A conversation's default title: the first line of its first prompt."""
    line = next((ln.strip() for ln in prompt.splitlines() if ln.strip()), "")
    line = re.sub(r"\s+", " ", line)
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1].rstrip() + "…"


def fts_query(text: str) -> str | None:
    """User text to a safe FTS5 query: every word must match, the last one as a prefix."""
    # NFKC first: a decomposed "é" (e + combining accent) would otherwise split the word in two.
    words = _TOKEN_RE.findall(unicodedata.normalize("NFKC", text))
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


MESSAGE_FIELDS = (
    "content",
    "reasoning",
    "status",
    "model",
    "input_tokens",
    "output_tokens",
    "duration_ms",
    "ttft_ms",
    "premium_cost",
    "error",
)
CONVERSATION_FIELDS = (
    "title",
    "pinned",
    "trashed_at",
    "session_id",
    "model",
    "provider",
    "draft",
    "mode",
    "working_dir",
    "reasoning_effort",
)
_SAVE_TOOL_CALL = (
    "INSERT INTO tool_calls (conversation_id, id, seq, message_id, offset, "
    f"{', '.join(TOOL_CALL_FIELDS)}) VALUES (:conversation_id, :id, "
    "(SELECT coalesce(max(seq), 0) + 1 FROM tool_calls WHERE conversation_id = :conversation_id), "
    f":message_id, coalesce(:offset, 0), {', '.join(':' + n for n in TOOL_CALL_FIELDS)}) "
    "ON CONFLICT (conversation_id, id) DO UPDATE SET "
    "message_id = coalesce(excluded.message_id, tool_calls.message_id), "
    "offset = CASE WHEN :offset IS NULL THEN tool_calls.offset ELSE excluded.offset END, "
    + ", ".join(f"{n} = excluded.{n}" for n in TOOL_CALL_FIELDS)
)


class ConversationStore:
    """Conversations and their messages in one SQLite database.

    ``changed`` subscribers hear the id of every conversation whose row or message list changes (what
    a conversation list shows); ``message_changed`` ones hear the id of every message whose text or
    status changes (several times a second while a reply streams, so list models ignore it). Both are
    event hubs: a subscriber that raises is logged and spoils neither the write nor the others.
    """

    def __init__(self, db: sqlite3.Connection, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock
        self.changed: EventHub[str] = EventHub("conversation changes")
        self.message_changed: EventHub[str] = EventHub("message changes")

    # -- plumbing ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _notify(self, conversation_id: str) -> None:
        self.changed.publish(conversation_id)

    def close(self) -> None:
        self.db.close()

    # -- conversations ---------------------------------------------------------------------
    def create_conversation(
        self,
        title: str = "",
        *,
        model: str = "",
        provider: str = "",
        session_id: str | None = None,
        conversation_id: str | None = None,
        created_at: float | None = None,
        mode: str = "chat",
        working_dir: str = "",
        reasoning_effort: str = "",
    ) -> Conversation:
        now = self.clock() if created_at is None else created_at
        cid = conversation_id or str(uuid.uuid4())
        row = (cid, title, now, now, model, provider, session_id, mode, working_dir, reasoning_effort)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO conversations (id, title, created_at, updated_at, model, provider, "
                "session_id, mode, working_dir, reasoning_effort) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [storable(value) for value in row],
            )
        self._notify(cid)
        conversation = self.get_conversation(cid)
        assert conversation is not None
        return conversation

    def get_conversation(self, conversation_id: str) -> Conversation | None:
        row = self.db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        return None if row is None else read_conversation(row)

    def find_by_session(self, session_id: str) -> Conversation | None:
        row = self.db.execute(
            "SELECT * FROM conversations WHERE session_id = ? ORDER BY created_at LIMIT 1", (session_id,)
        ).fetchone()
        return None if row is None else read_conversation(row)

    def list_conversations(
        self, *, trashed: bool = False, limit: int | None = None, offset: int = 0, title_contains: str = ""
    ) -> list[Conversation]:
        """Pinned first, then newest first (never kept versions); the trash lists only trashed ones.
        Pages with limit/offset; ``title_contains`` keeps titles holding that text (ASCII letters in
        any case), filtered in SQL so a filter over 10,000 conversations pages like the whole list."""
        where = ("trashed_at IS NOT NULL" if trashed else "trashed_at IS NULL") + " AND hidden = 0"
        params: tuple[Any, ...] = ()
        if title_contains:
            escaped = title_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where += " AND title LIKE ? ESCAPE '\\'"
            params = (f"%{escaped}%",)
        sql = f"SELECT * FROM conversations WHERE {where} ORDER BY pinned DESC, updated_at DESC, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = (*params, limit, offset)
        return [read_conversation(r) for r in self.db.execute(sql, params)]

    def count_conversations(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM conversations WHERE hidden = 0").fetchone()[0])

    def update_conversation(self, conversation_id: str, *, touch: bool = False, **changes: Any) -> None:
        unknown = set(changes) - set(CONVERSATION_FIELDS)
        if unknown:
            raise ValueError(f"unknown conversation fields: {sorted(unknown)}")
        if not changes and not touch:
            return
        assignments = [f"{name} = ?" for name in changes]
        values = [storable(v) for v in changes.values()]
        if touch:
            assignments.append("updated_at = ?")
            values.append(self.clock())
        with self.transaction() as db:
            db.execute(
                f"UPDATE conversations SET {', '.join(assignments)} WHERE id = ?",
                (*values, conversation_id),
            )
        self._notify(conversation_id)

    def rename(self, conversation_id: str, title: str) -> None:
        self.update_conversation(conversation_id, title=title.strip())

    def set_pinned(self, conversation_id: str, pinned: bool) -> None:
        self.update_conversation(conversation_id, pinned=int(pinned))

    def set_draft(self, conversation_id: str, draft: str) -> None:
        self.update_conversation(conversation_id, draft=draft)

    def trash(self, conversation_id: str) -> None:
        self.update_conversation(conversation_id, trashed_at=self.clock())

    def restore(self, conversation_id: str) -> None:
        self.update_conversation(conversation_id, trashed_at=None)

    def delete_forever(self, conversation_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        self._notify(conversation_id)

    # -- messages ---------------------------------------------------------------------------
    def add_message(
        self,
        conversation_id: str,
        role: Role,
        content: str = "",
        *,
        status: Status = Status.COMPLETE,
        message_id: str | None = None,
        created_at: float | None = None,
        attachments: Sequence[Attachment] = (),
        **fields: Any,
    ) -> Message:
        """Append a message (a prompt with its ``attachments``); the first user message also names
        an untitled conversation."""
        unknown = set(fields) - set(MESSAGE_FIELDS)
        if unknown:
            raise ValueError(f"unknown message fields: {sorted(unknown)}")
        now = self.clock() if created_at is None else created_at
        mid = message_id or str(uuid.uuid4())
        columns = ["id", "conversation_id", "seq", "role", "content", "status", "created_at", "updated_at"]
        with self.transaction() as db:
            seq = db.execute(
                "SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()[0]
            content = storable(content)
            values: list[Any] = [mid, conversation_id, seq, role.value, content, status.value, now, now]
            for name, value in fields.items():
                columns.append(name)
                values.append(storable(value))
            db.execute(
                f"INSERT INTO messages ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                values,
            )
            attachment_rows.save(db, mid, attachments)
            if role is Role.USER:
                db.execute(
                    "UPDATE conversations SET title = ? WHERE id = ? AND title = ''",
                    (title_from_prompt(content), conversation_id),
                )
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
        self._notify(conversation_id)
        message = self.get_message(mid)
        assert message is not None
        return dataclasses.replace(message, attachments=tuple(attachments))

    def get_message(self, message_id: str) -> Message | None:
        row = self.db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
        return None if row is None else read_message(row)

    def update_message(self, message_id: str, **changes: Any) -> None:
        unknown = set(changes) - set(MESSAGE_FIELDS)
        if unknown:
            raise ValueError(f"unknown message fields: {sorted(unknown)}")
        if not changes:
            return
        values = [v.value if isinstance(v, Status) else storable(v) for v in changes.values()]
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with self.transaction() as db:
            db.execute(
                f"UPDATE messages SET {assignments}, updated_at = ? WHERE id = ?",
                (*values, self.clock(), message_id),
            )
            found = db.execute("SELECT 1 FROM messages WHERE id = ?", (message_id,)).fetchone()
        if found is not None:
            self.message_changed.publish(message_id)

    def messages(self, conversation_id: str) -> list[Message]:
        rows = self.db.execute(
            "SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq", (conversation_id,)
        ).fetchall()
        attached = attachment_rows.load(self.db, conversation_id)
        messages = [read_message(r) for r in rows]
        return [
            dataclasses.replace(m, attachments=attached[m.id]) if m.id in attached else m for m in messages
        ]

    def mark_interrupted(self) -> list[str]:
        """After a crash: replies still marked streaming were cut off, and tool calls still pending
        or running never finished (they become failed). Returns their conversations."""
        with self.transaction() as db:
            rows = db.execute(
                "SELECT DISTINCT conversation_id FROM messages WHERE status = 'streaming'"
            ).fetchall()
            db.execute("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'")
            rows += db.execute(
                "SELECT DISTINCT conversation_id FROM tool_calls WHERE status IN ('pending', 'running')"
            ).fetchall()
            db.execute(
                "UPDATE tool_calls SET status = 'failed', "
                "error = CASE WHEN error = '' THEN ? ELSE error END "
                "WHERE status IN ('pending', 'running')",
                (TOOL_INTERRUPTED,),
            )
        ids = list(dict.fromkeys(r[0] for r in rows))
        for conversation_id in ids:
            self._notify(conversation_id)
        return ids

    # -- tool calls --------------------------------------------------------------------------
    def save_tool_call(
        self,
        conversation_id: str,
        call: ToolCall,
        message_id: str | None = None,
        offset: int | None = None,
    ) -> None:
        """Insert the call, or update every field of the saved one (keyed by conversation and id).

        ``message_id`` (the reply it happened in) and ``offset`` (the length of that reply's text
        when it started) are kept from the first save unless given again. A save tells no ``changed``
        subscriber: the conversation list does not show tool calls.
        """
        values = {name: storable(value) for name, value in tool_call_values(call).items()}
        values.update(conversation_id=conversation_id, id=call.id, message_id=message_id, offset=offset)
        with self.transaction() as db:
            db.execute(_SAVE_TOOL_CALL, values)

    def tool_calls(self, conversation_id: str) -> list[SavedToolCall]:
        """The conversation's tool calls in the order they started."""
        rows = self.db.execute(
            "SELECT * FROM tool_calls WHERE conversation_id = ? ORDER BY seq", (conversation_id,)
        )
        return [read_tool_call(r) for r in rows]

    def unused_tool_call_id(self, conversation_id: str, call_id: str) -> str:
        """``call_id``, or ``call_id#2``, ``#3``... when the conversation already has a call by that id
        (some models number their calls afresh in every reply)."""
        candidate, n = call_id, 1
        while self.db.execute(
            "SELECT 1 FROM tool_calls WHERE conversation_id = ? AND id = ?", (conversation_id, candidate)
        ).fetchone():
            n += 1
            candidate = f"{call_id}#{n}"
        return candidate

    # -- imports ------------------------------------------------------------------------------
    def import_conversations(
        self, items: Sequence[ConversationWithMessages], positions: Sequence[int] | None = None
    ) -> ImportResult:
        """Add whole conversations (and their kept versions) in one transaction, keeping their ids,
        seqs and timestamps; see ``import_rows.import_all``."""
        with self.transaction() as db:
            result = import_rows.import_all(db, items, positions)
        for cid in result.imported_ids:
            self._notify(cid)
        return result.result

    # -- kept permission answers ----------------------------------------------------------------
    def permission_rules(self) -> list[Rule]:
        """Every kept rule, oldest first (a conversation's own go with it when it is deleted)."""
        rules = []
        for row in self.db.execute("SELECT * FROM permission_rules ORDER BY created_at, rowid"):
            try:
                kind, scope = RequestKind(row["kind"]), RuleScope(row["scope"])
            except ValueError:  # written by a newer version: not applying it only means asking again
                log.warning(
                    "Ignoring a kept permission rule of unknown kind: %s/%s", row["kind"], row["scope"]
                )
                continue
            rules.append(
                Rule(kind, scope, row["value"], row["conversation_id"], row["id"], row["created_at"])
            )
        return rules

    def add_rules(self, rules: list[Rule]) -> None:
        """Keep rules (one transaction); a rule with a known id replaces the saved one."""
        if not rules:
            return
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO permission_rules (id, kind, scope, value, conversation_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (r.id, r.kind.value, r.scope.value, r.value, r.conversation_id, r.created_at)
                    for r in rules
                ],
            )

    def delete_rule(self, rule_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM permission_rules WHERE id = ?", (rule_id,))

    # -- search -----------------------------------------------------------------------------
    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over every message of every conversation not in the trash."""
        query = fts_query(text)
        if query is None:
            return []
        rows = self.db.execute(
            "SELECT m.id AS message_id, m.role, m.conversation_id, c.title, c.updated_at, "
            "snippet(messages_fts, 0, ?, ?, '…', 12) AS snippet "
            "FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid "
            "JOIN conversations c ON c.id = m.conversation_id "
            "WHERE messages_fts MATCH ? AND c.trashed_at IS NULL AND c.hidden = 0 "
            "ORDER BY rank LIMIT ?",
            (HIGHLIGHT_START, HIGHLIGHT_END, query, limit),
        )
        return [
            SearchHit(
                conversation_id=r["conversation_id"],
                conversation_title=r["title"],
                message_id=r["message_id"],
                role=Role(r["role"]),
                snippet=r["snippet"],
                updated_at=r["updated_at"],
            )
            for r in rows
        ]

    def conversation_ids(self) -> Sequence[str]:
        sql = "SELECT id FROM conversations WHERE hidden = 0 ORDER BY created_at"  # no kept versions
        return [r[0] for r in self.db.execute(sql)]
