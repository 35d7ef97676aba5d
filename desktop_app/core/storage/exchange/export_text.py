"""What every export format shares: the order conversations come out in, times and labels for
people, and Markdown code that shows any text as it is (backticks included)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, tzinfo

from desktop_app.core.storage.models import ConversationWithMessages, Message, Role, Status
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind

ROLE_LABELS = {Role.USER: "You", Role.ASSISTANT: "Copilot", Role.NOTICE: "Notice"}

_BACKTICKS = re.compile(r"`+")


def in_export_order(items: Iterable[ConversationWithMessages]) -> list[ConversationWithMessages]:
    """Conversations by creation then id, messages by seq (tool calls keep their start order): the
    same store gives the same document."""
    ordered = sorted(items, key=lambda c: (c.conversation.created_at, c.conversation.id))
    return [
        ConversationWithMessages(
            c.conversation, sorted(c.messages, key=lambda m: m.seq), c.tool_calls, c.versions
        )
        for c in ordered
    ]


def format_time(timestamp: float, tz: tzinfo | None = None) -> str:
    """A timestamp for people: local time (or ``tz``), to the minute."""
    return datetime.fromtimestamp(timestamp, tz).strftime("%Y-%m-%d %H:%M")


def status_note(message: Message) -> str:
    """The note after a message's time, such as ``" (aborted)"``; nothing for a complete one."""
    return "" if message.status is Status.COMPLETE else f" ({message.status.value})"


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


def attachment_text(attachment: Attachment) -> str | None:
    """A text attachment's content as the export shows it (folded away); None for the others."""
    if attachment.kind is not AttachmentKind.TEXT:
        return None
    return attachment.data.decode("utf-8", "replace")
