"""Reading a JSON backup (``json_format``) back into the store.

The file is untrusted: it is validated whole before the store is touched. The kinds of values are
checked here, their ranges in ``import_checks``; each conversation that fails is left out with the
reason and the rest go to the store in one transaction (``ConversationStore.import_conversations``),
keeping ids and timestamps.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange import import_checks
from desktop_app.core.storage.exchange.import_checks import ImportFormatError
from desktop_app.core.storage.exchange.json_format import (
    ADDED_IN_V2,
    ADDED_IN_V3,
    ADDED_IN_V5,
    ATTACHMENT_KEYS,
    CONVERSATION_KEYS,
    FORMAT,
    MESSAGE_ADDED_IN_V3,
    MESSAGE_ADDED_IN_V4,
    MESSAGE_KEYS,
    TOOL_CALL_KEYS,
    VERSION,
    VERSION_KEYS,
)
from desktop_app.core.storage.models import (
    Conversation,
    ConversationWithMessages,
    ImportResult,
    KeptVersion,
    Message,
    Rejected,
    Role,
    SavedToolCall,
    Status,
)
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind

_INT64 = range(-(2**63), 2**63)


@dataclass(frozen=True)
class ImportDocument:
    """A file read and checked, not yet imported (the command line reads it before opening a store)."""

    conversations: list[ConversationWithMessages]  # every one that passed the checks
    rejected: list[Rejected]
    positions: list[int]  # each conversation's place in the file


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _reject_constant(name: str) -> Any:
    raise ImportFormatError(f"not valid JSON: {name} is not a number JSON allows")


def _parse(data: bytes | str) -> Any:
    import_checks.check_document_size(len(data))
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFormatError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except ImportFormatError:
        raise
    except (ValueError, RecursionError) as exc:  # e.g. an integer of thousands of digits
        raise ImportFormatError(f"not valid JSON: {exc}") from None


def _check_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ImportFormatError(f"{where}: expected a string, got {_show(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ImportFormatError(f"{where}: contains an unpaired surrogate (not valid Unicode)") from None
    return value


def _check_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in _INT64:
        raise ImportFormatError(f"{where}: expected a 64-bit integer, got {_show(value)}")
    return value


def _check_float(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ImportFormatError(f"{where}: expected a number, got {_show(value)}")
    return float(value)


def _check_bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ImportFormatError(f"{where}: expected true or false, got {_show(value)}")
    return value


def _optional(check: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    return lambda value, where: None if value is None else check(value, where)


_Choice = TypeVar("_Choice", bound=StrEnum)


def _check_choice(choices: type[_Choice]) -> Callable[[Any, str], _Choice]:
    def check(value: Any, where: str) -> _Choice:
        allowed = [c.value for c in choices]
        if value not in allowed:
            raise ImportFormatError(f"{where}: {_show(value)} is not one of {', '.join(allowed)}")
        return choices(value)

    return check


def _check_offset(value: Any, where: str) -> int:
    if _check_int(value, where) < 0:
        raise ImportFormatError(f"{where}: expected a non-negative integer, got {_show(value)}")
    return int(value)


def _check_files(value: Any, where: str) -> tuple[str, ...]:
    return tuple(_check_str(path, f"{where}[{k}]") for k, path in enumerate(_check_list(value, where)))


_CONVERSATION_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "id": _check_str,
    "title": _check_str,
    "created_at": _check_float,
    "updated_at": _check_float,
    "pinned": _check_bool,
    "trashed_at": _optional(_check_float),
    "session_id": _optional(_check_str),
    "model": _check_str,
    "provider": _check_str,
    "draft": _check_str,
    "mode": _check_str,
    "working_dir": _check_str,
    "reasoning_effort": _check_str,
    "origin_id": _check_str,
}
_MESSAGE_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "id": _check_str,
    "conversation_id": _check_str,
    "seq": _check_int,
    "role": _check_choice(Role),
    "content": _check_str,
    "created_at": _check_float,
    "updated_at": _check_float,
    "reasoning": _check_str,
    "status": _check_choice(Status),
    "model": _check_str,
    "input_tokens": _optional(_check_int),
    "output_tokens": _optional(_check_int),
    "duration_ms": _optional(_check_float),
    "ttft_ms": _optional(_check_float),
    "premium_cost": _optional(_check_float),
    "error": _check_str,
    "attachments": lambda value, where: _check_attachments(value, where),
}
_TOOL_CALL_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "id": _check_str,
    "name": _check_str,
    "title": _check_str,
    "arguments": _check_str,
    "command": _check_str,
    "status": _check_choice(ToolStatus),
    "output": _check_str,
    "result": _check_str,
    "error": _check_str,
    "exit_code": _optional(_check_int),
    "files": _check_files,
    "permission": _check_str,
    "decision": _check_str,
    "started_at": _check_float,
    "finished_at": _optional(_check_float),
    "parent_id": _check_str,
    "message_id": _optional(_check_str),
    "offset": _check_offset,
}
_VERSION_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "id": _check_str,
    "at_seq": _check_int,
    "hangs_in": _check_str,
    "started_at": _check_float,
    "session_id": _optional(_check_str),
}
assert tuple(_VERSION_CHECKS) == VERSION_KEYS, "a kept version's field has no import check"
assert tuple(_CONVERSATION_CHECKS) == CONVERSATION_KEYS, "a Conversation field has no import check"
assert tuple(_MESSAGE_CHECKS) == MESSAGE_KEYS, "a Message field has no import check"
assert tuple(_TOOL_CALL_CHECKS) == TOOL_CALL_KEYS, "a tool call field has no import check"


def _check_attachment(value: Any, where: str) -> Attachment:
    """One attachment: its bytes decode, and their size and SHA-256 are the ones written beside them."""
    checks: dict[str, Callable[[Any, str], Any]] = {
        "name": _check_str,
        "kind": _check_choice(AttachmentKind),
        "mime": _check_str,
        "path": _check_str,
        "size": _check_offset,
        "sha256": _check_str,
        "data": _check_str,
    }
    assert tuple(checks) == ATTACHMENT_KEYS, "an attachment field has no import check"
    fields_ = _check_object(value, where, checks)
    import_checks.check_length(fields_["data"], f"{where}.data", import_checks.MAX_ATTACHMENT_CHARS)
    try:
        data = base64.b64decode(fields_["data"].encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ImportFormatError(f"{where}.data: not base64") from None
    if len(data) != fields_["size"]:
        raise ImportFormatError(f"{where}.size: {fields_['size']} is not the size of its data ({len(data)})")
    if hashlib.sha256(data).hexdigest() != fields_["sha256"]:
        raise ImportFormatError(f"{where}.sha256: does not match its data")
    return Attachment(fields_["name"], fields_["kind"], fields_["mime"], data, fields_["path"])


def _check_attachments(value: Any, where: str) -> tuple[Attachment, ...]:
    raw = _check_list(value, where)
    import_checks.check_count(len(raw), import_checks.MAX_ATTACHMENTS, where)
    return tuple(_check_attachment(a, f"{where}[{k}]") for k, a in enumerate(raw))


def _check_object(
    value: Any, where: str, checks: dict[str, Callable[[Any, str], Any]], extra: Sequence[str] = ()
) -> dict[str, Any]:
    """Every field present, of its type, and nothing unknown (an unknown field would be lost)."""
    if not isinstance(value, dict):
        raise ImportFormatError(f"{where}: expected an object, got {_show(value)}")
    prefix = f"{where}." if where else ""
    for key in [*checks, *extra]:
        if key not in value:
            raise ImportFormatError(f"{where or 'document'}: missing field {key!r}")
    unknown = sorted(set(value) - set(checks) - set(extra))
    if unknown:
        raise ImportFormatError(f"{where or 'document'}: unknown field {unknown[0]!r}")
    return {key: check(value[key], f"{prefix}{key}") for key, check in checks.items()}


def _check_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ImportFormatError(f"{where}: expected a list, got {_show(value)}")
    return value


def _check_header(document: Any) -> tuple[int, list[Any]]:
    """Format and version first, so a newer file is refused for being newer, not for its shape."""
    if not isinstance(document, dict):
        raise ImportFormatError("document: expected a JSON object, not a Copilot Desktop export")
    if document.get("format") != FORMAT:
        raise ImportFormatError(f"format: expected {FORMAT!r}, got {_show(document.get('format'))}")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportFormatError(f"version: expected a positive integer, got {_show(version)}")
    if version > VERSION:
        raise ImportFormatError(
            f"version: this file is format version {version}, written by a newer Copilot Desktop; "
            f"this version reads up to version {VERSION}. Update the app to import it."
        )
    _check_object(document, "", {}, extra=("format", "version", "conversations"))
    return version, _check_list(document["conversations"], "conversations")


def _check_message(value: Any, where: str, conversation_id: str) -> Message:
    fields_ = _check_object(value, where, _MESSAGE_CHECKS)
    if fields_["conversation_id"] != conversation_id:
        raise ImportFormatError(
            f"{where}.conversation_id: {_show(fields_['conversation_id'])} is not the id of its "
            f"conversation ({conversation_id!r})"
        )
    return Message(**fields_)


def _check_tool_call(value: Any, where: str, message_ids: set[str]) -> SavedToolCall:
    fields_ = _check_object(value, where, _TOOL_CALL_CHECKS)
    message_id, offset = fields_.pop("message_id"), fields_.pop("offset")
    if message_id is not None and message_id not in message_ids:
        raise ImportFormatError(
            f"{where}.message_id: {_show(message_id)} is not the id of a message of its conversation"
        )
    return SavedToolCall(ToolCall(**fields_), message_id, offset)


def _check_tool_calls(value: Any, where: str, messages: Sequence[Message]) -> list[SavedToolCall]:
    message_ids = {m.id for m in messages}
    raw = _check_list(value, where)
    calls = [_check_tool_call(t, f"{where}[{k}]", message_ids) for k, t in enumerate(raw)]
    seen: dict[str, int] = {}
    for k, saved in enumerate(calls):
        if saved.call.id in seen:
            raise ImportFormatError(
                f"{where}[{k}].id: {saved.call.id!r} is also the id of tool_calls[{seen[saved.call.id]}]"
            )
        seen[saved.call.id] = k
    return calls


def _check_conversation(value: Any, where: str, version: int) -> ConversationWithMessages:
    if version < 2 and isinstance(value, dict):
        value = ADDED_IN_V2 | value
    if version < 3 and isinstance(value, dict):
        value = ADDED_IN_V3 | value
    if version < 5 and isinstance(value, dict):
        value = ADDED_IN_V5 | value
    extra = ("messages", "tool_calls", "versions")
    conversation = Conversation(**_check_object(value, where, _CONVERSATION_CHECKS, extra=extra))
    raw_messages = _check_list(value["messages"], f"{where}.messages")
    if version < 3:
        raw_messages = [MESSAGE_ADDED_IN_V3 | m if isinstance(m, dict) else m for m in raw_messages]
    if version < 4:
        raw_messages = [MESSAGE_ADDED_IN_V4 | m if isinstance(m, dict) else m for m in raw_messages]
    messages = _check_messages(raw_messages, f"{where}.messages", conversation.id)
    tool_calls = _check_tool_calls(value["tool_calls"], f"{where}.tool_calls", messages)
    raw_versions = _check_list(value["versions"], f"{where}.versions")
    versions = [_check_version(v, f"{where}.versions[{n}]") for n, v in enumerate(raw_versions)]
    ids = {v.id for v in versions}
    for n, kept in enumerate(versions):
        if kept.hangs_in and (kept.hangs_in not in ids or kept.hangs_in == kept.id):
            raise ImportFormatError(
                f"{where}.versions[{n}].hangs_in: {_show(kept.hangs_in)} is not another version of "
                "this conversation"
            )
    return ConversationWithMessages(conversation, messages, tool_calls, versions)


def _check_messages(raw: list[Any], where: str, conversation_id: str) -> list[Message]:
    messages = [_check_message(m, f"{where}[{j}]", conversation_id) for j, m in enumerate(raw)]
    seen: dict[int, int] = {}
    for j, message in enumerate(messages):
        if message.seq in seen:
            raise ImportFormatError(
                f"{where}[{j}].seq: {message.seq} is also the seq of messages[{seen[message.seq]}]"
            )
        seen[message.seq] = j
    return messages


def _check_version(value: Any, where: str) -> KeptVersion:
    """A version Edit or Regenerate kept: its place, its session, its messages (which are its own)."""
    fields_ = _check_object(value, where, _VERSION_CHECKS, extra=("messages", "tool_calls"))
    if fields_["at_seq"] < 1:
        raise ImportFormatError(f"{where}.at_seq: {fields_['at_seq']} is not a positive integer")
    raw = _check_list(value["messages"], f"{where}.messages")
    messages = _check_messages(raw, f"{where}.messages", fields_["id"])
    tool_calls = _check_tool_calls(value["tool_calls"], f"{where}.tool_calls", messages)
    return KeptVersion(**fields_, messages=messages, tool_calls=tool_calls)


def parse_document(data: bytes | str) -> ImportDocument:
    """The file, validated: the conversations that pass, and each one that does not with the reason.
    Raises :class:`ImportFormatError` when the file as a whole cannot be read, or none of it can."""
    version, raw = _check_header(_parse(data))
    import_checks.check_count(len(raw), import_checks.MAX_CONVERSATIONS, "conversations")
    items: list[ConversationWithMessages] = []
    rejected: list[Rejected] = []
    positions: list[int] = []
    ids = import_checks.UniqueIds()
    for i, value in enumerate(raw):
        where = f"conversations[{i}]"
        try:
            item = _check_conversation(value, where, version)
            import_checks.check_conversation(item, where)
            import_checks.check_versions(item, where)
            ids.check(item, i)
        except ImportFormatError as exc:
            cid = value.get("id") if isinstance(value, dict) else None
            rejected.append(Rejected(i, cid if isinstance(cid, str) else "", str(exc)))
            continue
        items.append(item)
        positions.append(i)
    if not items:
        import_checks.refuse_all(rejected)
    return ImportDocument(items, rejected, positions)


def import_json(store: ConversationStore, data: bytes | str) -> ImportResult:
    """Add the file's conversations to the store; ones already there are skipped, bad ones left out."""
    return import_document(store, parse_document(data))


def import_document(store: ConversationStore, document: ImportDocument) -> ImportResult:
    """Import a checked file; what the checks left out is reported with what the store left out."""
    result = store.import_conversations(document.conversations, document.positions)
    return ImportResult(result.imported, result.skipped, [*document.rejected, *result.rejected])
