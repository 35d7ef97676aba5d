"""Tool calls in the readable exports: what Markdown and HTML both show of a call, and where in its
reply it goes (where the reply's text was when it started, never inside a code block)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.core.conversation.tool_calls import ToolCall
from desktop_app.core.rendering import fences
from desktop_app.core.storage.models import ConversationWithMessages, SavedToolCall

LINE_LIMIT = 120  # characters of a command or an error shown on a tool call's first lines


def one_line(text: str, limit: int = LINE_LIMIT) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class ToolSummary:
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


def summarize(call: ToolCall) -> ToolSummary:
    what = call.command or call.title
    facts = [call.status.value]
    if call.exit_code is not None:
        facts.append(f"exit {call.exit_code}")
    if call.duration_s is not None:
        facts.append(f"{call.duration_s:.1f} s")
    error = one_line(call.error)
    sections = [
        ("Arguments", call.arguments, "json" if _is_json(call.arguments) else ""),
        ("Permission request", call.permission, ""),
        ("Output", call.output, ""),
    ]
    if call.result.strip() != call.output.strip():
        sections.append(("Result", call.result, ""))
    if error != call.error.strip():
        sections.append(("Error", call.error, ""))
    return ToolSummary(
        nested=bool(call.parent_id),
        name=one_line(call.name),
        what=one_line(what) if what and what != call.name else "",
        facts=" · ".join(facts),
        decision=one_line(call.decision, 2 * LINE_LIMIT),
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


def interleave(text: str, calls: Sequence[SavedToolCall]) -> list[str | ToolCall]:
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


def calls_by_message(
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
