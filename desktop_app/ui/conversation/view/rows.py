"""The rows of a conversation view: one per prompt, reply or notice, and what each one shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from desktop_app.core.storage.models import Message, Role, SavedToolCall, Status
from desktop_app.core.vocabulary.attachments import Attachment


@dataclass(frozen=True)
class Marker:
    """A tool call's line in a reply, ``offset`` characters into its text."""

    offset: int
    call_id: str
    label: str


class RowKind(Enum):
    USER = "user"
    REPLY = "reply"
    NOTICE = "notice"


@dataclass(eq=False)
class Row:
    """One message on screen. ``text`` is what it says: the prompt, the notice, or the reply's
    markdown (its segments joined, for the Copy actions and the find); the document that shows it is
    built by the view only while the row is near the screen."""

    key: str
    kind: RowKind
    text: str = ""
    label: str = ""  # a reply's author: Copilot, the endpoint's model, the demo
    level: str = "info"  # a notice's level
    reasoning: str = ""
    interrupted: bool = False
    markers: list[Marker] = field(default_factory=list)  # its tool calls, by offset
    message_id: str | None = None  # the stored message, when it has one
    streaming: bool = False
    attachments: tuple[Attachment, ...] = ()  # a prompt's files and images

    @property
    def accessible_text(self) -> str:
        """What a screen reader reads for the row (before its document exists, its source)."""
        who = {RowKind.USER: "You", RowKind.REPLY: self.label or "Copilot", RowKind.NOTICE: "Notice"}
        return f"{who[self.kind]}: {self.text}"


def row_for_message(message: Message, calls: list[SavedToolCall], label: str) -> Row:
    """A saved message as a row (its tool calls where they ran, in order)."""
    if message.role is Role.USER:
        return Row(
            message.id, RowKind.USER, message.content, message_id=message.id, attachments=message.attachments
        )
    if message.role is Role.NOTICE:
        level = "error" if message.status is Status.ERROR else "info"
        return Row(message.id, RowKind.NOTICE, message.content, level=level, message_id=message.id)
    return Row(
        message.id,
        RowKind.REPLY,
        message.content,
        label=label,
        reasoning=message.reasoning,
        interrupted=message.status is Status.INTERRUPTED,
        markers=[
            Marker(saved.offset, saved.call.id, saved.call.label)
            for saved in sorted(calls, key=lambda saved: saved.offset)
        ],
        message_id=message.id,
    )
