"""Whole conversations into the store, as a backup holds them: their rows, their messages with
attachments and tool calls, and the versions Edit and Regenerate kept (hidden conversations and
their ``message_versions`` rows, see ``storage.versions``). Runs in the caller's transaction.

Ids, seqs and timestamps are kept. A conversation the store has is skipped (left as it is); one
whose message or session id another conversation has is left out with the reason.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.core.storage import attachment_rows
from desktop_app.core.storage.models import (
    Conversation,
    ConversationWithMessages,
    ImportResult,
    KeptVersion,
    Message,
    Rejected,
    SavedToolCall,
)
from desktop_app.core.storage.table_rows import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    TOOL_CALL_COLUMNS,
    conversation_row,
    message_row,
    tool_call_rows,
)


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


_CONVERSATION = _insert_sql("conversations", CONVERSATION_COLUMNS)
_MESSAGE = _insert_sql("messages", MESSAGE_COLUMNS)
_TOOL_CALL = _insert_sql("tool_calls", TOOL_CALL_COLUMNS)


@dataclass(frozen=True)
class Imported:
    result: ImportResult
    imported_ids: list[str]


def import_all(
    db: sqlite3.Connection, items: Sequence[ConversationWithMessages], positions: Sequence[int] | None
) -> Imported:
    """``positions`` are the items' places in their file, which the reasons name (by default their
    places in ``items``). A failure other than a clash raises (the caller rolls back)."""
    imported: list[str] = []
    skipped: list[str] = []
    rejected: list[Rejected] = []
    for k, item in enumerate(items):
        i = k if positions is None else positions[k]
        cid = item.conversation.id
        if db.execute("SELECT 1 FROM conversations WHERE id = ?", (cid,)).fetchone():
            skipped.append(cid)
            continue
        clash = _clash(db, item, f"conversations[{i}]")
        if clash:
            rejected.append(Rejected(i, cid, clash))
            continue
        _insert(db, item.conversation, item.messages, item.tool_calls)
        for version in item.versions:
            _insert_version(db, item.conversation, version)
        imported.append(cid)
    return Imported(ImportResult(imported=len(imported), skipped=skipped, rejected=rejected), imported)


def _insert(
    db: sqlite3.Connection,
    conversation: Conversation,
    messages: Sequence[Message],
    tool_calls: Sequence[SavedToolCall],
) -> None:
    db.execute(_CONVERSATION, conversation_row(conversation))
    db.executemany(_MESSAGE, [message_row(m) for m in messages])
    for message in messages:
        attachment_rows.save(db, message.id, message.attachments)
    db.executemany(_TOOL_CALL, tool_call_rows(conversation.id, tool_calls))


def _insert_version(db: sqlite3.Connection, conversation: Conversation, version: KeptVersion) -> None:
    """A kept version: a hidden conversation like its own, holding its messages."""
    row = dataclasses.replace(
        conversation, id=version.id, session_id=version.session_id, pinned=False, draft="", trashed_at=None
    )
    _insert(db, row, version.messages, version.tool_calls)
    db.execute("UPDATE conversations SET hidden = 1 WHERE id = ?", (version.id,))
    db.execute(
        "INSERT INTO message_versions (id, conversation_id, at_seq, hangs_in, started_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (version.id, conversation.id, version.at_seq, version.hangs_in, version.started_at),
    )


def _clash(db: sqlite3.Connection, item: ConversationWithMessages, where: str) -> str:
    """Why ``item`` cannot join the store (a message, session or version id another conversation
    has), or ""."""
    sessions = [(f"{where}.session_id", item.conversation.session_id)]
    sessions += [(f"{where}.versions[{n}].session_id", v.session_id) for n, v in enumerate(item.versions)]
    for place, sid in sessions:
        if sid is None:
            continue
        row = db.execute("SELECT id FROM conversations WHERE session_id = ? LIMIT 1", (sid,)).fetchone()
        if row is not None:
            return f"{place}: {sid!r} is already the session of conversation {row[0]!r}"
    for n, version in enumerate(item.versions):
        if db.execute("SELECT 1 FROM conversations WHERE id = ?", (version.id,)).fetchone():
            return f"{where}.versions[{n}].id: {version.id!r} is already a conversation in this store"
    lists = [(f"{where}.messages", item.messages)]
    lists += [(f"{where}.versions[{n}].messages", v.messages) for n, v in enumerate(item.versions)]
    for place, messages in lists:
        for j, message in enumerate(messages):
            if db.execute("SELECT 1 FROM messages WHERE id = ?", (message.id,)).fetchone():
                return (
                    f"{place}[{j}].id: {message.id!r} already belongs to another conversation in this store"
                )
    return ""
