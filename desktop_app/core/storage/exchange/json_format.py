"""The JSON backup document: its shape, its versions, and the export that writes it.

The document is deterministic (same store, same bytes) and lossless, so an export imported into an
empty store (``json_import``) exports to identical bytes. Version 2 added each conversation's
``mode``, ``working_dir`` and ``tool_calls``, version 3 each conversation's ``reasoning_effort`` and
each message's ``premium_cost``, version 4 each message's ``attachments`` (their bytes in base64,
their SHA-256 beside them, which the import checks); an older file is read with the defaults (chat
mode, no folder, no tool calls, the model's default effort, no cost reported, no attachments).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from desktop_app.core.conversation.tool_calls import ToolCall
from desktop_app.core.storage.exchange.export_text import in_export_order
from desktop_app.core.storage.models import (
    TOOL_CALL_FIELDS,
    Conversation,
    ConversationWithMessages,
    KeptVersion,
    Message,
    SavedToolCall,
)
from desktop_app.core.vocabulary.attachments import Attachment

FORMAT = "copilot-desktop-conversations"
VERSION = 5

CONVERSATION_KEYS = tuple(f.name for f in fields(Conversation))
MESSAGE_KEYS = tuple(f.name for f in fields(Message))
TOOL_CALL_KEYS = ("id", *TOOL_CALL_FIELDS, "message_id", "offset")
assert {f.name for f in fields(ToolCall)} - set(TOOL_CALL_KEYS) == {"shell_output_seen"}, (
    "a ToolCall field is neither exported nor known to be transient"
)
# What a version 1 document lacks, as the store defaults it.
ADDED_IN_V2: dict[str, Any] = {"mode": "chat", "working_dir": "", "tool_calls": []}
ADDED_IN_V3: dict[str, Any] = {"reasoning_effort": ""}
MESSAGE_ADDED_IN_V3: dict[str, Any] = {"premium_cost": None}
MESSAGE_ADDED_IN_V4: dict[str, Any] = {"attachments": []}
ADDED_IN_V5: dict[str, Any] = {"origin_id": "", "versions": []}
VERSION_KEYS = ("id", "at_seq", "hangs_in", "started_at", "session_id")  # then messages, tool_calls
ATTACHMENT_KEYS = ("name", "kind", "mime", "path", "size", "sha256", "data")


def _conversation_dict(item: ConversationWithMessages) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(item.conversation, key) for key in CONVERSATION_KEYS}
    data["messages"] = [_message_dict(m) for m in item.messages]
    data["tool_calls"] = [_tool_call_dict(t) for t in item.tool_calls]
    data["versions"] = [_version_dict(v) for v in item.versions]
    return data


def _version_dict(version: KeptVersion) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(version, key) for key in VERSION_KEYS}
    data["messages"] = [_message_dict(m) for m in version.messages]
    data["tool_calls"] = [_tool_call_dict(t) for t in version.tool_calls]
    return data


def _message_dict(message: Message) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(message, key) for key in MESSAGE_KEYS}
    data["role"] = message.role.value
    data["status"] = message.status.value
    data["attachments"] = [_attachment_dict(a) for a in message.attachments]
    return data


def _attachment_dict(attachment: Attachment) -> dict[str, Any]:
    return {
        "name": attachment.name,
        "kind": attachment.kind.value,
        "mime": attachment.mime,
        "path": attachment.path,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "data": base64.b64encode(attachment.data).decode("ascii"),
    }


def _tool_call_dict(saved: SavedToolCall) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(saved.call, key) for key in ("id", *TOOL_CALL_FIELDS)}
    data["status"] = saved.call.status.value
    data["files"] = list(saved.call.files)
    data["message_id"] = saved.message_id
    data["offset"] = saved.offset
    return data


def export_json(items: Iterable[ConversationWithMessages]) -> str:
    """The versioned backup document; keys in field order, floats as ``repr`` (exact round trip)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "conversations": [_conversation_dict(c) for c in in_export_order(items)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
