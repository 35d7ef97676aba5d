"""Conversations as readable Markdown: one document, each tool call in its reply where the reply's
text was when it started, its details folded away."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import tzinfo

from desktop_app.core.conversation.tool_calls import ToolCall
from desktop_app.core.storage.exchange.export_text import (
    ROLE_LABELS,
    attachment_text,
    code_span,
    fenced,
    format_time,
    in_export_order,
    status_note,
)
from desktop_app.core.storage.exchange.tool_call_layout import calls_by_message, interleave, summarize
from desktop_app.core.storage.models import ConversationWithMessages, Message, Role, SavedToolCall

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _heading(message: Message, tz: tzinfo | None) -> str:
    label = ROLE_LABELS[message.role]
    if message.role is Role.ASSISTANT and message.model:
        label += f" ({message.model})"
    return f"{label} · {format_time(message.created_at, tz)}{status_note(message)}"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines() or [""])


def _details_markdown(summary: str, body: str) -> str:
    # The blank lines let Markdown viewers render the body as Markdown inside the HTML block.
    return f"<details><summary>{html.escape(summary)}</summary>\n\n{body.strip()}\n\n</details>"


def _markdown_text(text: str) -> str:
    """Plain text that Markdown shows as it is."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def tool_call_markdown(call: ToolCall) -> str:
    """A quoted headline (tool, command, status, exit code, duration; the permission answer; the
    error), then the details in a collapsed block."""
    summary = summarize(call)
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


def message_markdown(
    message: Message, tool_calls: Sequence[SavedToolCall] = (), tz: tzinfo | None = None
) -> str:
    parts = [f"### {_heading(message, tz)}"]
    if message.reasoning.strip():
        parts.append(_details_markdown("Reasoning", message.reasoning))
    for piece in interleave(message.content, tool_calls):
        if isinstance(piece, ToolCall):
            parts.append(tool_call_markdown(piece))
        elif message.role is Role.NOTICE:
            if piece.strip() or not tool_calls:
                parts.append(_quote(piece))
        elif piece.strip():
            parts.append(piece.strip("\n"))
    if message.attachments:
        parts.append(_attachments_markdown(message))
    if message.error:
        parts.append(_quote(f"Error: {message.error}"))
    return "\n\n".join(parts)


def _attachments_markdown(message: Message) -> str:
    """A list of what was attached (names escaped), each text file's content folded under it."""
    lines = [f"- 📎 {_markdown_text(a.summary)}" for a in message.attachments]
    blocks = ["**Attachments**", "\n".join(lines)]
    for attachment in message.attachments:
        text = attachment_text(attachment)
        if text is not None:
            blocks.append(_details_markdown(attachment.label, fenced(text)))
    return "\n\n".join(blocks)


def conversation_markdown(item: ConversationWithMessages, tz: tzinfo | None = None) -> str:
    conversation = item.conversation
    placed, loose = calls_by_message(item)
    parts = [f"# {conversation.title or 'Untitled conversation'}"]
    parts.append(f"*Started {format_time(conversation.created_at, tz)}*")
    parts.extend(message_markdown(m, placed.get(m.id, ()), tz) for m in item.messages)
    if loose:
        parts.append("### Tool calls")
        parts.extend(tool_call_markdown(saved.call) for saved in loose)
    return "\n\n".join(parts)


def export_markdown(items: Iterable[ConversationWithMessages], tz: tzinfo | None = None) -> str:
    """One or many conversations as one Markdown document, separated by rules."""
    return "\n\n---\n\n".join(conversation_markdown(c, tz) for c in in_export_order(items)) + "\n"
