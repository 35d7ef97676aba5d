"""What an imported conversation may hold, beyond the right kinds of values: ids in a safe charset,
times in a sane range, a known mode, bounded sizes, and no id that another conversation of the file
has (the store refuses ids it has itself: ``ConversationStore.import_conversations``).

An imported file is untrusted: a session id is handed to the Copilot CLI (which keeps sessions in
folders named after them), a time is shown with ``datetime.fromtimestamp`` (which raises outside the
platform's range), and a working folder is where an Agent-mode conversation runs tools. So each
conversation is checked here after its fields' kinds are (in ``json_import``); one that fails is left
out with the reason, and the rest of the file is imported.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable

from desktop_app.core.storage.models import ConversationWithMessages, KeptVersion, Rejected
from desktop_app.core.storage.stored_values import MAX_TIME, MIN_TIME, MODES

MAX_DURATION_MS = 366 * 24 * 3600 * 1000.0  # a year
MAX_COUNT = 2**53  # tokens and the like: anything larger is not a count the app wrote

MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
MAX_CONVERSATIONS = 1_000_000
MAX_MESSAGES = 100_000  # per conversation; tool calls too
MAX_FILES = 100_000  # files changed by one tool call
MAX_TEXT = 16 * 1024 * 1024  # characters of one message, output, argument list...
MAX_SHORT = 4096  # characters of a title, model name, tool name, folder, permission answer
MAX_ATTACHMENTS = 100  # of one message (the composer allows far fewer)
MAX_ATTACHMENT_CHARS = 64 * 1024 * 1024  # of one attachment's base64

# Conversation, message and CLI session ids: what uuid4 and the CLI write, and never a path.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:-]{0,127}")
_SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
# Tool call ids come from models (``toolu_01...``, ``call_x#2``): any printable text, kept short.
_TOOL_CALL_ID = re.compile(r"[^\x00-\x1f\x7f]{1,256}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

SHORT_CONVERSATION_FIELDS = ("title", "model", "provider", "working_dir", "reasoning_effort")
LONG_CONVERSATION_FIELDS = ("draft",)
SHORT_MESSAGE_FIELDS = ("model",)
LONG_MESSAGE_FIELDS = ("content", "reasoning", "error")
SHORT_TOOL_CALL_FIELDS = ("name", "title", "decision")
LONG_TOOL_CALL_FIELDS = ("arguments", "command", "output", "result", "error", "permission")


class ImportFormatError(ValueError):
    """The file cannot be imported; the message says what is wrong and where. Nothing was changed."""


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_document_size(size: int) -> None:
    if size > MAX_DOCUMENT_BYTES:
        raise ImportFormatError(
            f"the file is {size // (1024 * 1024)} MiB; an export this app reads is at most "
            f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"
        )


def check_count(count: int, limit: int, where: str) -> None:
    if count > limit:
        raise ImportFormatError(f"{where}: {count} entries, more than the {limit} allowed")


def check_id(value: str, where: str, pattern: re.Pattern[str] = _ID) -> None:
    if not pattern.fullmatch(value):
        raise ImportFormatError(
            f"{where}: {_show(value)} is not a well-formed id (letters, digits, '_', '-' and ':', "
            "at most 128)"
        )


def check_time(value: float | None, where: str) -> None:
    if value is not None and not (math.isfinite(value) and MIN_TIME <= value <= MAX_TIME):
        raise ImportFormatError(f"{where}: {_show(value)} is not a time between 1970 and 2100")


def check_range(value: float | None, where: str, top: float) -> None:
    if value is not None and not 0 <= value <= top:
        raise ImportFormatError(f"{where}: {_show(value)} is not between 0 and {top:g}")


def check_length(value: str, where: str, limit: int) -> None:
    if len(value) > limit:
        raise ImportFormatError(f"{where}: {len(value)} characters, more than the {limit} allowed")


def check_lengths(item: object, names: Iterable[str], where: str, limit: int) -> None:
    for name in names:
        check_length(getattr(item, name), f"{where}.{name}", limit)


def check_folder(value: str, where: str) -> None:
    """Agent mode runs tools in this folder: an absolute path or nothing, with no control characters."""
    if value and (not value.startswith("/") and not re.match(r"[A-Za-z]:[\\/]", value)):
        raise ImportFormatError(f"{where}: {_show(value)} is not an absolute path")
    if _CONTROL.search(value):
        raise ImportFormatError(f"{where}: {_show(value)} contains control characters")


def check_conversation(item: ConversationWithMessages, where: str) -> None:
    """Ranges, charsets and sizes of one conversation whose fields already have the right kinds."""
    conversation = item.conversation
    check_id(conversation.id, f"{where}.id")
    if conversation.session_id is not None:
        check_id(conversation.session_id, f"{where}.session_id", _SESSION_ID)
    for name in ("created_at", "updated_at", "trashed_at"):
        check_time(getattr(conversation, name), f"{where}.{name}")
    if conversation.mode not in MODES:
        raise ImportFormatError(f"{where}.mode: {_show(conversation.mode)} is not one of {', '.join(MODES)}")
    check_lengths(conversation, SHORT_CONVERSATION_FIELDS, where, MAX_SHORT)
    check_lengths(conversation, LONG_CONVERSATION_FIELDS, where, MAX_TEXT)
    check_folder(conversation.working_dir, f"{where}.working_dir")
    check_count(len(item.messages), MAX_MESSAGES, f"{where}.messages")
    check_count(len(item.tool_calls), MAX_MESSAGES, f"{where}.tool_calls")
    for j, message in enumerate(item.messages):
        at = f"{where}.messages[{j}]"
        check_id(message.id, f"{at}.id")
        if message.seq < 1:
            raise ImportFormatError(f"{at}.seq: {message.seq} is not a positive integer")
        check_time(message.created_at, f"{at}.created_at")
        check_time(message.updated_at, f"{at}.updated_at")
        check_range(message.input_tokens, f"{at}.input_tokens", MAX_COUNT)
        check_range(message.output_tokens, f"{at}.output_tokens", MAX_COUNT)
        check_range(message.duration_ms, f"{at}.duration_ms", MAX_DURATION_MS)
        check_range(message.ttft_ms, f"{at}.ttft_ms", MAX_DURATION_MS)
        check_range(message.premium_cost, f"{at}.premium_cost", MAX_COUNT)
        check_lengths(message, SHORT_MESSAGE_FIELDS, at, MAX_SHORT)
        check_lengths(message, LONG_MESSAGE_FIELDS, at, MAX_TEXT)
        for n, attachment in enumerate(message.attachments):
            check_lengths(attachment, ("name", "mime", "path"), f"{at}.attachments[{n}]", MAX_SHORT)
    for k, saved in enumerate(item.tool_calls):
        at, call = f"{where}.tool_calls[{k}]", saved.call
        check_id(call.id, f"{at}.id", _TOOL_CALL_ID)
        if call.parent_id:
            check_id(call.parent_id, f"{at}.parent_id", _TOOL_CALL_ID)
        check_time(call.started_at, f"{at}.started_at")
        check_time(call.finished_at, f"{at}.finished_at")
        check_lengths(call, SHORT_TOOL_CALL_FIELDS, at, MAX_SHORT)
        check_lengths(call, LONG_TOOL_CALL_FIELDS, at, MAX_TEXT)
        check_count(len(call.files), MAX_FILES, f"{at}.files")
        for n, path in enumerate(call.files):
            check_length(path, f"{at}.files[{n}]", MAX_SHORT)
        check_range(saved.offset, f"{at}.offset", MAX_TEXT)


def as_conversation(item: ConversationWithMessages, version: KeptVersion) -> ConversationWithMessages:
    """A kept version as the hidden conversation the store keeps it as."""
    row = dataclasses.replace(item.conversation, id=version.id, session_id=version.session_id)
    return ConversationWithMessages(row, version.messages, version.tool_calls)


def check_versions(item: ConversationWithMessages, where: str) -> None:
    """Each kept version is checked as the conversation it is stored as."""
    check_count(len(item.versions), MAX_MESSAGES, f"{where}.versions")
    for n, version in enumerate(item.versions):
        at = f"{where}.versions[{n}]"
        check_time(version.started_at, f"{at}.started_at")
        check_conversation(as_conversation(item, version), at)


def refuse_all(rejected: list[Rejected]) -> None:
    """A file none of whose conversations can be imported is refused with the first reason."""
    if rejected:
        more = len(rejected) - 1
        rest = f" (and {more} more conversation{'s' * (more != 1)} cannot be read)" if more else ""
        raise ImportFormatError(rejected[0].reason + rest)


class UniqueIds:
    """Conversation, message and session ids already taken by earlier conversations of the file."""

    def __init__(self) -> None:
        self._conversations: dict[str, str] = {}  # id -> where it first was
        self._messages: dict[str, str] = {}
        self._sessions: dict[str, str] = {}

    def check(self, item: ConversationWithMessages, index: int) -> None:
        """Raise if ``item`` (or one of its kept versions) reuses an id; otherwise remember its ids."""
        top = f"conversations[{index}]"
        parts = [(top, item)]
        parts += [(f"{top}.versions[{n}]", as_conversation(item, v)) for n, v in enumerate(item.versions)]
        conversations: dict[str, str] = {}
        sessions: dict[str, str] = {}
        mine: dict[str, str] = {}
        for where, part in parts:
            cid, sid = part.conversation.id, part.conversation.session_id
            earlier = self._conversations.get(cid) or conversations.get(cid)
            if earlier is not None:
                raise ImportFormatError(f"{where}.id: {cid!r} is also the id of {earlier}")
            earlier = None if sid is None else self._sessions.get(sid) or sessions.get(sid)
            if earlier is not None:
                raise ImportFormatError(f"{where}.session_id: {sid!r} is also the session of {earlier}")
            conversations[cid] = where
            if sid is not None:
                sessions[sid] = where
            for j, message in enumerate(part.messages):
                at = f"{where}.messages[{j}]"
                earlier = self._messages.get(message.id) or mine.get(message.id)
                if earlier is not None:
                    raise ImportFormatError(f"{at}.id: {message.id!r} is also the id of {earlier}")
                mine[message.id] = at
        self._conversations.update(conversations)
        self._sessions.update(sessions)
        self._messages.update(mine)
