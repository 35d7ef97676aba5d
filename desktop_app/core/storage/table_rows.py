"""The store's rows and the models, both ways: which columns each table has, and how a row is read.

Reading goes through ``stored_values``, so one odd row (written by another tool, an older bug or a
damaged file) breaks neither the list nor "export all"; writing turns enums, flags and file lists
into the values SQLite keeps. The SQL itself stays in ``conversation_store``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage import stored_values as v
from desktop_app.core.storage.models import (
    TOOL_CALL_FIELDS,
    Conversation,
    Message,
    Role,
    SavedToolCall,
    Status,
)

CONVERSATION_COLUMNS = tuple(f.name for f in fields(Conversation))
MESSAGE_COLUMNS = tuple(f.name for f in fields(Message) if f.name != "attachments")  # theirs: their table
TOOL_CALL_COLUMNS = ("conversation_id", "id", "seq", "message_id", "offset", *TOOL_CALL_FIELDS)


def read_conversation(row: sqlite3.Row) -> Conversation:
    what = f"conversation {row['id']!r}"
    return Conversation(
        id=v.text(row["id"], what),
        title=v.text(row["title"], f"{what} title"),
        created_at=v.time(row["created_at"], f"{what} created_at"),
        updated_at=v.time(row["updated_at"], f"{what} updated_at"),
        pinned=v.flag(row["pinned"], f"{what} pinned"),
        trashed_at=v.optional_time(row["trashed_at"], f"{what} trashed_at"),
        session_id=v.optional_text(row["session_id"], f"{what} session_id"),
        model=v.text(row["model"], f"{what} model"),
        provider=v.text(row["provider"], f"{what} provider"),
        draft=v.text(row["draft"], f"{what} draft"),
        mode=v.mode(row["mode"], f"{what} mode"),
        working_dir=v.text(row["working_dir"], f"{what} working_dir"),
        reasoning_effort=v.text(row["reasoning_effort"], f"{what} reasoning_effort"),
        origin_id=v.text(row["origin_id"], f"{what} origin_id"),
    )


def read_message(row: sqlite3.Row) -> Message:
    what = f"message {row['id']!r}"
    return Message(
        id=v.text(row["id"], what),
        conversation_id=v.text(row["conversation_id"], f"{what} conversation_id"),
        seq=v.count(row["seq"], f"{what} seq"),
        role=v.choice(Role, row["role"], Role.NOTICE, f"{what} role"),
        content=v.text(row["content"], f"{what} content"),
        created_at=v.time(row["created_at"], f"{what} created_at"),
        updated_at=v.time(row["updated_at"], f"{what} updated_at"),
        reasoning=v.text(row["reasoning"], f"{what} reasoning"),
        status=v.choice(Status, row["status"], Status.ERROR, f"{what} status"),
        model=v.text(row["model"], f"{what} model"),
        input_tokens=v.integer(row["input_tokens"], f"{what} input_tokens"),
        output_tokens=v.integer(row["output_tokens"], f"{what} output_tokens"),
        duration_ms=v.number(row["duration_ms"], f"{what} duration_ms"),
        ttft_ms=v.number(row["ttft_ms"], f"{what} ttft_ms"),
        premium_cost=v.number(row["premium_cost"], f"{what} premium_cost"),
        error=v.text(row["error"], f"{what} error"),
    )


_TOOL_CALL_TIMES = {"started_at": v.time, "finished_at": v.optional_time}
_TOOL_CALL_NUMBERS = {"exit_code": v.integer}


def read_tool_call(row: sqlite3.Row) -> SavedToolCall:
    what = f"tool call {row['id']!r}"
    values: dict[str, Any] = {}
    for name in TOOL_CALL_FIELDS:
        read = _TOOL_CALL_TIMES.get(name) or _TOOL_CALL_NUMBERS.get(name) or v.text
        values[name] = read(row[name], f"{what} {name}")
    values["status"] = v.choice(ToolStatus, row["status"], ToolStatus.FAILED, f"{what} status")
    values["files"] = v.files(row["files"], f"{what} files")
    message_id = v.optional_text(row["message_id"], f"{what} message_id")
    offset = v.count(row["offset"], f"{what} offset")
    return SavedToolCall(ToolCall(id=v.text(row["id"], what), **values), message_id, offset)


def tool_call_values(call: ToolCall) -> dict[str, Any]:
    """A call's TOOL_CALL_FIELDS as SQLite values (``files`` as a JSON list)."""
    row = {name: getattr(call, name) for name in TOOL_CALL_FIELDS}
    row["status"] = call.status.value
    row["files"] = json.dumps(list(call.files), ensure_ascii=False)
    return row


def conversation_row(conversation: Conversation) -> list[Any]:
    """The values of CONVERSATION_COLUMNS, in order (``pinned`` as 0 or 1)."""
    values = (getattr(conversation, name) for name in CONVERSATION_COLUMNS)
    return [int(value) if isinstance(value, bool) else value for value in values]


def message_row(message: Message) -> list[Any]:
    """The values of MESSAGE_COLUMNS, in order."""
    values = (getattr(message, name) for name in MESSAGE_COLUMNS)
    return [value.value if isinstance(value, Role | Status) else value for value in values]


def tool_call_rows(conversation_id: str, calls: Sequence[SavedToolCall]) -> list[list[Any]]:
    """The values of TOOL_CALL_COLUMNS for each call, numbered from 1 in the order given."""
    rows = []
    for seq, saved in enumerate(calls, 1):
        place = {"conversation_id": conversation_id, "id": saved.call.id, "seq": seq}
        place |= {"message_id": saved.message_id, "offset": saved.offset}
        row = tool_call_values(saved.call) | place
        rows.append([row[column] for column in TOOL_CALL_COLUMNS])
    return rows
