"""Conversations out of and into the store: lossless JSON, readable Markdown, self-contained HTML.

The JSON document is the backup format: deterministic (same store, same bytes) and lossless, so an
export imported into an empty store exports to identical bytes. Import validates the whole file
before it touches the store, then inserts everything in one transaction, keeping ids and timestamps.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, tzinfo
from typing import Any, Protocol

from desktop_app.core.store.conversation_store import ConversationStore
from desktop_app.core.store.models import (
    Conversation,
    ConversationWithMessages,
    Message,
    Role,
    Status,
)

FORMAT = "copilot-desktop-conversations"
VERSION = 1

CONVERSATION_KEYS = tuple(f.name for f in fields(Conversation))
MESSAGE_KEYS = tuple(f.name for f in fields(Message))
_INT64 = range(-(2**63), 2**63)

ROLE_LABELS = {Role.USER: "You", Role.ASSISTANT: "Copilot", Role.NOTICE: "Notice"}


class ImportFormatError(ValueError):
    """The file cannot be imported; the message says what is wrong and where. Nothing was changed."""


class UnknownConversationError(LookupError):
    """An export asked for a conversation id the store does not have."""


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: list[str]  # ids of conversations the store already had (left as they were)


class ToolCallLike(Protocol):
    """What the exports need of a tool call. Extension point: the store has no tool calls yet."""

    @property
    def name(self) -> str: ...

    @property
    def arguments(self) -> str: ...

    @property
    def result(self) -> str: ...


def no_tool_calls(message: Message) -> Sequence[ToolCallLike]:
    """Today's tool-call lookup; a store with a tool_calls table passes its own to the exporters."""
    return ()


ToolCallLookup = Callable[[Message], Sequence[ToolCallLike]]


# -- loading ---------------------------------------------------------------------------------------
def _order(items: Iterable[ConversationWithMessages]) -> list[ConversationWithMessages]:
    """Conversations by creation then id, messages by seq: the order that makes exports stable."""
    ordered = sorted(items, key=lambda c: (c.conversation.created_at, c.conversation.id))
    return [
        ConversationWithMessages(c.conversation, sorted(c.messages, key=lambda m: m.seq)) for c in ordered
    ]


def load_conversations(
    store: ConversationStore, conversation_ids: Sequence[str] | None = None
) -> list[ConversationWithMessages]:
    """The given conversations (every one, trash included, when ``None``), in export order."""
    if conversation_ids is None:
        found = store.list_conversations() + store.list_conversations(trashed=True)
    else:
        found = []
        for cid in dict.fromkeys(conversation_ids):
            conversation = store.get_conversation(cid)
            if conversation is None:
                raise UnknownConversationError(f"no conversation with id {cid!r}")
            found.append(conversation)
    return _order(ConversationWithMessages(c, store.messages(c.id)) for c in found)


# -- JSON ------------------------------------------------------------------------------------------
def _conversation_dict(item: ConversationWithMessages) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(item.conversation, key) for key in CONVERSATION_KEYS}
    data["messages"] = [_message_dict(m) for m in item.messages]
    return data


def _message_dict(message: Message) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(message, key) for key in MESSAGE_KEYS}
    data["role"] = message.role.value
    data["status"] = message.status.value
    return data


def export_json(items: Iterable[ConversationWithMessages]) -> str:
    """The versioned backup document; keys in field order, floats as ``repr`` (exact round trip)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "conversations": [_conversation_dict(c) for c in _order(items)],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# -- Markdown --------------------------------------------------------------------------------------
def format_time(timestamp: float, tz: tzinfo | None = None) -> str:
    """A timestamp for people: local time (or ``tz``), to the minute."""
    return datetime.fromtimestamp(timestamp, tz).strftime("%Y-%m-%d %H:%M")


def _status_note(message: Message) -> str:
    return "" if message.status is Status.COMPLETE else f" ({message.status.value})"


def _heading(message: Message, tz: tzinfo | None) -> str:
    label = ROLE_LABELS[message.role]
    if message.role is Role.ASSISTANT and message.model:
        label += f" ({message.model})"
    return f"{label} · {format_time(message.created_at, tz)}{_status_note(message)}"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines() or [""])


def _details_markdown(summary: str, body: str) -> str:
    # The blank lines let Markdown viewers render the body as Markdown inside the HTML block.
    return f"<details><summary>{html.escape(summary)}</summary>\n\n{body.strip()}\n\n</details>"


def tool_calls_markdown(calls: Sequence[ToolCallLike]) -> list[str]:
    """One collapsed block per tool call (arguments and result as code)."""
    return [
        _details_markdown(f"Tool: {call.name}", f"```json\n{call.arguments}\n```\n\n```\n{call.result}\n```")
        for call in calls
    ]


def message_markdown(
    message: Message, tool_calls: Sequence[ToolCallLike] = (), tz: tzinfo | None = None
) -> str:
    parts = [f"### {_heading(message, tz)}"]
    if message.reasoning.strip():
        parts.append(_details_markdown("Reasoning", message.reasoning))
    parts.extend(tool_calls_markdown(tool_calls))
    if message.role is Role.NOTICE:
        parts.append(_quote(message.content))
    elif message.content.strip():
        parts.append(message.content.strip("\n"))
    if message.error:
        parts.append(_quote(f"Error: {message.error}"))
    return "\n\n".join(parts)


def conversation_markdown(
    item: ConversationWithMessages, tool_calls: ToolCallLookup = no_tool_calls, tz: tzinfo | None = None
) -> str:
    conversation = item.conversation
    parts = [f"# {conversation.title or 'Untitled conversation'}"]
    parts.append(f"*Started {format_time(conversation.created_at, tz)}*")
    parts.extend(message_markdown(m, tool_calls(m), tz) for m in item.messages)
    return "\n\n".join(parts)


def export_markdown(
    items: Iterable[ConversationWithMessages],
    tool_calls: ToolCallLookup = no_tool_calls,
    tz: tzinfo | None = None,
) -> str:
    """One or many conversations as one Markdown document, separated by rules."""
    return "\n\n---\n\n".join(conversation_markdown(c, tool_calls, tz) for c in _order(items)) + "\n"


# -- HTML ------------------------------------------------------------------------------------------
_PAGE_CSS = """
body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       max-width: 860px; margin: 2em auto; padding: 0 1em; color: #1f2328; }
article + article { border-top: 2px solid #d0d7de; margin-top: 3em; }
.meta { color: #6a737d; font-size: 13px; }
.message { margin: 1.2em 0; padding: 0.6em 1em; border-radius: 8px; }
.message.user { background: #eef2ff; }
.message.notice { background: #fff8c5; }
.message header { font-weight: bold; color: #6e40c9; }
.message.user header { color: #1f4bb8; }
.message header .meta { font-weight: normal; }
.plain { white-space: pre-wrap; }
details { margin: 0.5em 0; color: #57606a; }
summary { cursor: pointer; }
pre { overflow-x: auto; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.error { color: #b42318; }
"""


def _plain_html(text: str) -> str:
    return f'<div class="plain">{html.escape(text)}</div>'


def _details_html(summary: str, body: str) -> str:
    return f"<details><summary>{html.escape(summary)}</summary>{body}</details>"


def tool_calls_html(calls: Sequence[ToolCallLike]) -> list[str]:
    """The HTML twin of :func:`tool_calls_markdown`; everything in a tool call is escaped."""
    return [
        _details_html(f"Tool: {call.name}", _code_html(call.arguments) + _code_html(call.result))
        for call in calls
    ]


def _code_html(text: str) -> str:
    return f"<pre><code>{html.escape(text)}</code></pre>"


def message_html(
    message: Message,
    render: Callable[[str], str],
    tool_calls: Sequence[ToolCallLike] = (),
    tz: tzinfo | None = None,
) -> str:
    """A message; model output goes through ``render`` (the safe Markdown renderer), the rest is escaped."""
    label = html.escape(
        ROLE_LABELS[message.role]
        + (f" ({message.model})" if message.role is Role.ASSISTANT and message.model else "")
    )
    when = datetime.fromtimestamp(message.created_at, tz).isoformat()
    meta = html.escape(format_time(message.created_at, tz) + _status_note(message))
    parts = [f'<header>{label} <time class="meta" datetime="{when}">{meta}</time></header>']
    if message.reasoning.strip():
        parts.append(_details_html("Reasoning", render(message.reasoning)))
    parts.extend(tool_calls_html(tool_calls))
    parts.append(render(message.content) if message.role is Role.ASSISTANT else _plain_html(message.content))
    if message.error:
        parts.append(f'<p class="error">{html.escape("Error: " + message.error)}</p>')
    return f'<section class="message {message.role.value}">{"".join(parts)}</section>'


def conversation_html(
    item: ConversationWithMessages,
    render: Callable[[str], str],
    tool_calls: ToolCallLookup = no_tool_calls,
    tz: tzinfo | None = None,
) -> str:
    conversation = item.conversation
    title = html.escape(conversation.title or "Untitled conversation")
    started = html.escape(f"Started {format_time(conversation.created_at, tz)}")
    body = "\n".join(message_html(m, render, tool_calls(m), tz) for m in item.messages)
    return f'<article>\n<h1>{title}</h1>\n<p class="meta">{started}</p>\n{body}\n</article>'


def export_html(
    items: Iterable[ConversationWithMessages],
    tool_calls: ToolCallLookup = no_tool_calls,
    tz: tzinfo | None = None,
) -> str:
    """One HTML file with its styles inline and no external resources; no script from any message."""
    # Imported here: Markdown and Pygments cost ~40 ms that JSON exports and imports need not pay.
    from desktop_app.core.markdown_render import MarkdownRenderer, pygments_css

    ordered = _order(items)
    renderer = MarkdownRenderer()
    title = ordered[0].conversation.title if len(ordered) == 1 else "Conversations"
    articles = "\n".join(conversation_html(c, renderer.render, tool_calls, tz) for c in ordered)
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title or 'Untitled conversation')}</title>\n"
        f"<style>{_PAGE_CSS}\n{pygments_css()}\n</style>\n</head>\n<body>\n{articles}\n</body>\n</html>\n"
    )


# -- import: validation ----------------------------------------------------------------------------
def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _reject_constant(name: str) -> Any:
    raise ImportFormatError(f"not valid JSON: {name} is not a number JSON allows")


def _parse(data: bytes | str) -> Any:
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


def _check_choice(choices: type[Role] | type[Status]) -> Callable[[Any, str], Any]:
    def check(value: Any, where: str) -> Role | Status:
        allowed = [c.value for c in choices]
        if value not in allowed:
            raise ImportFormatError(f"{where}: {_show(value)} is not one of {', '.join(allowed)}")
        return choices(value)

    return check


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
    "error": _check_str,
}
assert tuple(_CONVERSATION_CHECKS) == CONVERSATION_KEYS, "a Conversation field has no import check"
assert tuple(_MESSAGE_CHECKS) == MESSAGE_KEYS, "a Message field has no import check"


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


def _check_header(document: Any) -> list[Any]:
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
    return _check_list(document["conversations"], "conversations")


def _check_message(value: Any, where: str, conversation_id: str) -> Message:
    fields_ = _check_object(value, where, _MESSAGE_CHECKS)
    if fields_["conversation_id"] != conversation_id:
        raise ImportFormatError(
            f"{where}.conversation_id: {_show(fields_['conversation_id'])} is not the id of its "
            f"conversation ({conversation_id!r})"
        )
    return Message(**fields_)


def _check_conversation(value: Any, where: str) -> ConversationWithMessages:
    conversation = Conversation(**_check_object(value, where, _CONVERSATION_CHECKS, extra=("messages",)))
    raw_messages = _check_list(value["messages"], f"{where}.messages")
    messages = [
        _check_message(m, f"{where}.messages[{j}]", conversation.id) for j, m in enumerate(raw_messages)
    ]
    seen: dict[int, int] = {}
    for j, message in enumerate(messages):
        if message.seq in seen:
            raise ImportFormatError(
                f"{where}.messages[{j}].seq: {message.seq} is also the seq of messages[{seen[message.seq]}]"
            )
        seen[message.seq] = j
    return ConversationWithMessages(conversation, messages)


def _check_unique_ids(items: Sequence[ConversationWithMessages]) -> None:
    conversations: dict[str, int] = {}
    messages: dict[str, str] = {}
    for i, item in enumerate(items):
        cid = item.conversation.id
        if cid in conversations:
            raise ImportFormatError(
                f"conversations[{i}].id: {cid!r} is also the id of conversations[{conversations[cid]}]"
            )
        conversations[cid] = i
        for j, message in enumerate(item.messages):
            where = f"conversations[{i}].messages[{j}]"
            if message.id in messages:
                raise ImportFormatError(
                    f"{where}.id: {message.id!r} is also the id of {messages[message.id]}"
                )
            messages[message.id] = where


def parse_document(data: bytes | str) -> list[ConversationWithMessages]:
    """The whole file, validated; raises :class:`ImportFormatError` naming the first problem."""
    raw = _check_header(_parse(data))
    items = [_check_conversation(c, f"conversations[{i}]") for i, c in enumerate(raw)]
    _check_unique_ids(items)
    return items


# -- import: writing -------------------------------------------------------------------------------
def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


_INSERT_CONVERSATION = _insert_sql("conversations", CONVERSATION_KEYS)
_INSERT_MESSAGE = _insert_sql("messages", MESSAGE_KEYS)


def _conversation_row(conversation: Conversation) -> list[Any]:
    return [
        int(v) if isinstance(v, bool) else v for v in (getattr(conversation, k) for k in CONVERSATION_KEYS)
    ]


def _message_row(message: Message) -> list[Any]:
    return [
        v.value if isinstance(v, Role | Status) else v for v in (getattr(message, k) for k in MESSAGE_KEYS)
    ]


def import_json(store: ConversationStore, data: bytes | str) -> ImportResult:
    """Add the file's conversations to the store, all or nothing; ones already there are skipped."""
    return import_conversations(store, parse_document(data))


def import_conversations(store: ConversationStore, items: Sequence[ConversationWithMessages]) -> ImportResult:
    """Insert validated conversations in one transaction, keeping their ids, seqs and timestamps."""
    imported: list[str] = []
    skipped: list[str] = []
    with store.transaction() as db:
        for i, item in enumerate(items):
            cid = item.conversation.id
            if db.execute("SELECT 1 FROM conversations WHERE id = ?", (cid,)).fetchone():
                skipped.append(cid)
                continue
            for j, message in enumerate(item.messages):
                if db.execute("SELECT 1 FROM messages WHERE id = ?", (message.id,)).fetchone():
                    raise ImportFormatError(
                        f"conversations[{i}].messages[{j}].id: {message.id!r} already belongs to another "
                        "conversation in this store"
                    )
            db.execute(_INSERT_CONVERSATION, _conversation_row(item.conversation))
            db.executemany(_INSERT_MESSAGE, [_message_row(m) for m in item.messages])
            imported.append(cid)
    for cid in imported:
        for callback in list(store.changed):
            callback(cid)
    return ImportResult(imported=len(imported), skipped=skipped)


# -- formats ---------------------------------------------------------------------------------------
Exporter = Callable[[Iterable[ConversationWithMessages]], str]
EXPORTERS: dict[str, Exporter] = {"md": export_markdown, "html": export_html, "json": export_json}
"""Every export format by its file suffix; the command line and the window both use this table."""
