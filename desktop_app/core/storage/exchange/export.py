"""Conversations out of and into the store: lossless JSON, readable Markdown, self-contained HTML.

The JSON document is the backup format: deterministic (same store, same bytes) and lossless, so an
export imported into an empty store exports to identical bytes. Import validates the whole file
before it touches the store (``import_checks`` holds the ranges), leaves out each conversation that
fails with the reason, then inserts the rest in one transaction, keeping ids and timestamps.
Version 2 added each conversation's ``mode``, ``working_dir`` and ``tool_calls``; a version 1 file
is read with the defaults (chat mode, no folder, no tool calls).

Markdown and HTML show each tool call in its reply, where the reply's text was when it started.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any, TypeVar

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.rendering import fences
from desktop_app.core.storage.conversation_store import TOOL_CALL_FIELDS, ConversationStore, tool_call_row
from desktop_app.core.storage.exchange import import_checks
from desktop_app.core.storage.exchange.import_checks import ImportFormatError as ImportFormatError
from desktop_app.core.storage.exchange.import_checks import Rejected
from desktop_app.core.storage.models import (
    Conversation,
    ConversationWithMessages,
    Message,
    Role,
    SavedToolCall,
    Status,
)

FORMAT = "copilot-desktop-conversations"
VERSION = 2

CONVERSATION_KEYS = tuple(f.name for f in fields(Conversation))
MESSAGE_KEYS = tuple(f.name for f in fields(Message))
TOOL_CALL_KEYS = ("id", *TOOL_CALL_FIELDS, "message_id", "offset")
assert {f.name for f in fields(ToolCall)} - set(TOOL_CALL_KEYS) == {"shell_output_seen"}, (
    "a ToolCall field is neither exported nor known to be transient"
)
# What a version 1 document lacks, as the store defaults it.
_ADDED_IN_V2: dict[str, Any] = {"mode": "chat", "working_dir": "", "tool_calls": []}
_INT64 = range(-(2**63), 2**63)

ROLE_LABELS = {Role.USER: "You", Role.ASSISTANT: "Copilot", Role.NOTICE: "Notice"}


class UnknownConversationError(LookupError):
    """An export asked for a conversation id the store does not have."""


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: list[str]  # ids of conversations the store already had (left as they were)
    rejected: list[Rejected] = field(default_factory=list)  # left out, each with the reason


@dataclass(frozen=True)
class ImportDocument:
    conversations: list[ConversationWithMessages]  # every one that passed the checks
    rejected: list[Rejected]
    positions: list[int]  # each conversation's place in the file


# -- loading ---------------------------------------------------------------------------------------
def _order(items: Iterable[ConversationWithMessages]) -> list[ConversationWithMessages]:
    """Conversations by creation then id, messages by seq (tool calls keep their start order)."""
    ordered = sorted(items, key=lambda c: (c.conversation.created_at, c.conversation.id))
    return [
        ConversationWithMessages(c.conversation, sorted(c.messages, key=lambda m: m.seq), c.tool_calls)
        for c in ordered
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
    return _order(ConversationWithMessages(c, store.messages(c.id), store.tool_calls(c.id)) for c in found)


# -- JSON ------------------------------------------------------------------------------------------
def _conversation_dict(item: ConversationWithMessages) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(item.conversation, key) for key in CONVERSATION_KEYS}
    data["messages"] = [_message_dict(m) for m in item.messages]
    data["tool_calls"] = [_tool_call_dict(t) for t in item.tool_calls]
    return data


def _message_dict(message: Message) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(message, key) for key in MESSAGE_KEYS}
    data["role"] = message.role.value
    data["status"] = message.status.value
    return data


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


# -- tool calls, in either format --------------------------------------------------------------------
_LINE_LIMIT = 120  # characters of a command or an error shown on a tool call's first lines
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_BACKTICKS = re.compile(r"`+")


def _one_line(text: str, limit: int = _LINE_LIMIT) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class _ToolSummary:
    """What both formats show of a call: a headline, the answer to its permission request, its
    error, and the details (arguments, request, output, result) to unfold."""

    nested: bool  # made by a sub-agent inside another call
    name: str
    what: str  # the command or the CLI's title for it, on one line
    facts: str  # "done · exit 0 · 1.2 s"
    decision: str
    error: str
    sections: list[tuple[str, str, str]]  # (label, text, code language)
    files: tuple[str, ...]


def _summary(call: ToolCall) -> _ToolSummary:
    what = call.command or call.title
    facts = [call.status.value]
    if call.exit_code is not None:
        facts.append(f"exit {call.exit_code}")
    if call.duration_s is not None:
        facts.append(f"{call.duration_s:.1f} s")
    error = _one_line(call.error)
    sections = [
        ("Arguments", call.arguments, "json" if _is_json(call.arguments) else ""),
        ("Permission request", call.permission, ""),
        ("Output", call.output, ""),
    ]
    if call.result.strip() != call.output.strip():
        sections.append(("Result", call.result, ""))
    if error != call.error.strip():
        sections.append(("Error", call.error, ""))
    return _ToolSummary(
        nested=bool(call.parent_id),
        name=_one_line(call.name),
        what=_one_line(what) if what and what != call.name else "",
        facts=" · ".join(facts),
        decision=_one_line(call.decision, 2 * _LINE_LIMIT),
        error=error,
        sections=[(label, text, lang) for label, text, lang in sections if text.strip()],
        files=call.files,
    )


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in _BACKTICKS.findall(text)), default=0)


def fenced(text: str, language: str = "") -> str:
    """A Markdown code block whose fence is longer than any run of backticks in ``text``."""
    fence = "`" * max(3, _longest_backticks(text) + 1)
    body = text.rstrip("\n")
    return f"{fence}{language}\n{body}\n{fence}"


def code_span(text: str) -> str:
    """Inline Markdown code that shows ``text`` (one line) as it is, backticks included."""
    ticks = "`" * (_longest_backticks(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _markdown_text(text: str) -> str:
    """Plain text that Markdown shows as it is."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def tool_call_markdown(call: ToolCall) -> str:
    """A quoted headline (tool, command, status, exit code, duration; the permission answer; the
    error), then the details in a collapsed block."""
    summary = _summary(call)
    head = f"{'↳ ' if summary.nested else ''}🔧 **{_markdown_text(summary.name)}**"
    if summary.what:
        head += f" — {code_span(summary.what)}"
    lines = [f"{head} · {summary.facts}"]
    if summary.decision:
        lines.append(f"Permission: {_markdown_text(summary.decision)}")
    if summary.error:
        lines.append(f"Error: {_markdown_text(summary.error)}")
    parts = [f"**{label}**\n\n{fenced(text, lang)}" for label, text, lang in summary.sections]
    if summary.files:
        parts.append("**Files changed**\n\n" + "\n".join(f"- {code_span(f)}" for f in summary.files))
    block = _quote("\n\n".join(lines))
    if not parts:
        return block
    details = _details_markdown("Details", "\n\n".join(parts))
    return f"{block}\n\n{details}"


def _outside_code(text: str, offset: int) -> int:
    """``offset`` (clamped to the text), or the end of the fenced code block it falls inside: a tool
    call is never shown in the middle of a code block."""
    offset = max(0, min(offset, len(text)))
    fence: str | None = None
    end = 0
    for line in text.splitlines(keepends=True):
        start, end = end, end + len(line)
        if fence is None:
            if start >= offset:
                return offset
            fence = fences.opening(line)
        elif fences.closes(line.rstrip("\n"), fence):
            fence = None
            if end >= offset:
                return end
    return offset if fence is None else len(text)


def _interleave(text: str, calls: Sequence[SavedToolCall]) -> list[str | ToolCall]:
    """The text cut where its calls started, with each call between the pieces, in start order."""
    cuts = sorted((_outside_code(text, saved.offset), i) for i, saved in enumerate(calls))
    pieces: list[str | ToolCall] = []
    done = 0
    for cut, i in cuts:
        if cut > done:
            pieces.append(text[done:cut])
            done = cut
        pieces.append(calls[i].call)
    pieces.append(text[done:])
    return pieces


def _calls_by_message(
    item: ConversationWithMessages,
) -> tuple[dict[str, list[SavedToolCall]], list[SavedToolCall]]:
    """Each message's tool calls, and the calls of no message of the conversation."""
    ids = {m.id for m in item.messages}
    placed: dict[str, list[SavedToolCall]] = {}
    loose: list[SavedToolCall] = []
    for saved in item.tool_calls:
        if saved.message_id is not None and saved.message_id in ids:
            placed.setdefault(saved.message_id, []).append(saved)
        else:
            loose.append(saved)
    return placed, loose


def message_markdown(
    message: Message, tool_calls: Sequence[SavedToolCall] = (), tz: tzinfo | None = None
) -> str:
    parts = [f"### {_heading(message, tz)}"]
    if message.reasoning.strip():
        parts.append(_details_markdown("Reasoning", message.reasoning))
    for piece in _interleave(message.content, tool_calls):
        if isinstance(piece, ToolCall):
            parts.append(tool_call_markdown(piece))
        elif message.role is Role.NOTICE:
            if piece.strip() or not tool_calls:
                parts.append(_quote(piece))
        elif piece.strip():
            parts.append(piece.strip("\n"))
    if message.error:
        parts.append(_quote(f"Error: {message.error}"))
    return "\n\n".join(parts)


def conversation_markdown(item: ConversationWithMessages, tz: tzinfo | None = None) -> str:
    conversation = item.conversation
    placed, loose = _calls_by_message(item)
    parts = [f"# {conversation.title or 'Untitled conversation'}"]
    parts.append(f"*Started {format_time(conversation.created_at, tz)}*")
    parts.extend(message_markdown(m, placed.get(m.id, ()), tz) for m in item.messages)
    if loose:
        parts.append("### Tool calls")
        parts.extend(tool_call_markdown(saved.call) for saved in loose)
    return "\n\n".join(parts)


def export_markdown(items: Iterable[ConversationWithMessages], tz: tzinfo | None = None) -> str:
    """One or many conversations as one Markdown document, separated by rules."""
    return "\n\n---\n\n".join(conversation_markdown(c, tz) for c in _order(items)) + "\n"


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
.tool { margin: 0.6em 0; padding: 0.1em 0.8em; border-left: 3px solid #d0d7de; font-size: 14px; }
.tool.failed, .tool.denied { border-left-color: #b42318; }
.tool p { margin: 0.3em 0; }
.tool ul { margin: 0.3em 0; }
@media print {
  body { max-width: none; margin: 0; }
  pre { white-space: pre-wrap; overflow-x: visible; }
  .message, pre, table { break-inside: avoid; }
}
"""
# The file runs nothing and loads nothing: no script, no remote (or local) style, image or font.
EXPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"
)


def _plain_html(text: str) -> str:
    return f'<div class="plain">{html.escape(text)}</div>'


def _details_html(summary: str, body: str) -> str:
    return f"<details><summary>{html.escape(summary)}</summary>{body}</details>"


def _code_html(text: str) -> str:
    return f"<pre><code>{html.escape(text)}</code></pre>"


def tool_call_html(call: ToolCall) -> str:
    """The HTML twin of :func:`tool_call_markdown`; everything in a tool call is escaped."""
    summary = _summary(call)
    head = f"{'↳ ' if summary.nested else ''}🔧 <strong>{html.escape(summary.name)}</strong>"
    if summary.what:
        head += f" — <code>{html.escape(summary.what)}</code>"
    parts = [f'<p class="tool-head">{head} · {html.escape(summary.facts)}</p>']
    if summary.decision:
        parts.append(f'<p class="meta">{html.escape("Permission: " + summary.decision)}</p>')
    if summary.error:
        parts.append(f'<p class="error">{html.escape("Error: " + summary.error)}</p>')
    details = [f"<p>{html.escape(label)}</p>{_code_html(text)}" for label, text, _lang in summary.sections]
    if summary.files:
        items = "".join(f"<li><code>{html.escape(f)}</code></li>" for f in summary.files)
        details.append(f"<p>Files changed</p><ul>{items}</ul>")
    if details:
        parts.append(_details_html("Details", "".join(details)))
    return f'<div class="tool {html.escape(call.status.value)}">{"".join(parts)}</div>'


def message_html(
    message: Message,
    render: Callable[[str], str],
    tool_calls: Sequence[SavedToolCall] = (),
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
    for piece in _interleave(message.content, tool_calls):
        if isinstance(piece, ToolCall):
            parts.append(tool_call_html(piece))
        elif piece.strip() or not tool_calls:
            parts.append(render(piece) if message.role is Role.ASSISTANT else _plain_html(piece))
    if message.error:
        parts.append(f'<p class="error">{html.escape("Error: " + message.error)}</p>')
    return f'<section class="message {message.role.value}">{"".join(parts)}</section>'


def conversation_html(
    item: ConversationWithMessages, render: Callable[[str], str], tz: tzinfo | None = None
) -> str:
    conversation = item.conversation
    placed, loose = _calls_by_message(item)
    title = html.escape(conversation.title or "Untitled conversation")
    started = html.escape(f"Started {format_time(conversation.created_at, tz)}")
    sections = [message_html(m, render, placed.get(m.id, ()), tz) for m in item.messages]
    if loose:
        calls = "".join(tool_call_html(saved.call) for saved in loose)
        sections.append(f'<section class="message tools"><header>Tool calls</header>{calls}</section>')
    body = "\n".join(sections)
    return f'<article>\n<h1>{title}</h1>\n<p class="meta">{started}</p>\n{body}\n</article>'


def export_html(items: Iterable[ConversationWithMessages], tz: tzinfo | None = None) -> str:
    """One HTML file with its styles inline and no external resources; no script from any message.

    The body goes through the export's sanitizer profile and the page carries a strict CSP, so
    even a renderer bug cannot make a stored conversation run or load anything; code blocks have
    no Copy links (the app's ``copy:`` scheme means nothing in a browser)."""
    # Imported here: Markdown and Pygments cost ~40 ms that JSON exports and imports need not pay.
    from desktop_app.core.rendering import sanitize
    from desktop_app.core.rendering.markdown_render import MarkdownRenderer, pygments_css

    ordered = _order(items)
    renderer = MarkdownRenderer(code_header=False, clean=str)  # the whole body is sanitized once below
    title = ordered[0].conversation.title if len(ordered) == 1 else "Conversations"
    articles = sanitize.for_export("\n".join(conversation_html(c, renderer.render, tz) for c in ordered))
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{EXPORT_CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
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
assert tuple(_CONVERSATION_CHECKS) == CONVERSATION_KEYS, "a Conversation field has no import check"
assert tuple(_MESSAGE_CHECKS) == MESSAGE_KEYS, "a Message field has no import check"
assert tuple(_TOOL_CALL_CHECKS) == TOOL_CALL_KEYS, "a tool call field has no import check"


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
        value = _ADDED_IN_V2 | value
    extra = ("messages", "tool_calls")
    conversation = Conversation(**_check_object(value, where, _CONVERSATION_CHECKS, extra=extra))
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
    tool_calls = _check_tool_calls(value["tool_calls"], f"{where}.tool_calls", messages)
    return ConversationWithMessages(conversation, messages, tool_calls)


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


# -- import: writing -------------------------------------------------------------------------------
def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


_INSERT_CONVERSATION = _insert_sql("conversations", CONVERSATION_KEYS)
_INSERT_MESSAGE = _insert_sql("messages", MESSAGE_KEYS)
_TOOL_CALL_COLUMNS = ("conversation_id", "id", "seq", "message_id", "offset", *TOOL_CALL_FIELDS)
_INSERT_TOOL_CALL = _insert_sql("tool_calls", _TOOL_CALL_COLUMNS)


def _conversation_row(conversation: Conversation) -> list[Any]:
    return [
        int(v) if isinstance(v, bool) else v for v in (getattr(conversation, k) for k in CONVERSATION_KEYS)
    ]


def _message_row(message: Message) -> list[Any]:
    return [
        v.value if isinstance(v, Role | Status) else v for v in (getattr(message, k) for k in MESSAGE_KEYS)
    ]


def _tool_call_rows(conversation_id: str, calls: Sequence[SavedToolCall]) -> list[list[Any]]:
    rows = []
    for seq, saved in enumerate(calls, 1):
        place = {"conversation_id": conversation_id, "id": saved.call.id, "seq": seq}
        place |= {"message_id": saved.message_id, "offset": saved.offset}
        row = tool_call_row(saved.call) | place
        rows.append([row[column] for column in _TOOL_CALL_COLUMNS])
    return rows


def import_json(store: ConversationStore, data: bytes | str) -> ImportResult:
    """Add the file's conversations to the store; ones already there are skipped, bad ones left out."""
    return import_document(store, parse_document(data))


def import_document(store: ConversationStore, document: ImportDocument) -> ImportResult:
    result = import_conversations(store, document.conversations, document.positions)
    return ImportResult(result.imported, result.skipped, [*document.rejected, *result.rejected])


def import_conversations(
    store: ConversationStore,
    items: Sequence[ConversationWithMessages],
    positions: Sequence[int] | None = None,
) -> ImportResult:
    """Insert validated conversations in one transaction, keeping their ids, seqs and timestamps; one
    whose message or session id another conversation of the store has is left out with the reason."""
    imported: list[str] = []
    skipped: list[str] = []
    rejected: list[Rejected] = []
    with store.transaction() as db:
        for k, item in enumerate(items):
            i = k if positions is None else positions[k]
            cid = item.conversation.id
            if db.execute("SELECT 1 FROM conversations WHERE id = ?", (cid,)).fetchone():
                skipped.append(cid)
                continue
            clash = import_checks.store_clash(db, item, f"conversations[{i}]")
            if clash:
                rejected.append(Rejected(i, cid, clash))
                continue
            db.execute(_INSERT_CONVERSATION, _conversation_row(item.conversation))
            db.executemany(_INSERT_MESSAGE, [_message_row(m) for m in item.messages])
            db.executemany(_INSERT_TOOL_CALL, _tool_call_rows(cid, item.tool_calls))
            imported.append(cid)
    for cid in imported:
        store.changed.publish(cid)
    return ImportResult(imported=len(imported), skipped=skipped, rejected=rejected)


# -- formats ---------------------------------------------------------------------------------------
Exporter = Callable[[Iterable[ConversationWithMessages]], str]
EXPORTERS: dict[str, Exporter] = {"md": export_markdown, "html": export_html, "json": export_json}
"""Every export format by its file suffix; the command line and the window both use this table."""
