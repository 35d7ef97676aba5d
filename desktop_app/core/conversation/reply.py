"""One reply in progress, as the events make it: its text segments, reasoning, tool-call marks, usage and
status. No Qt.

The model writes a reply as one or more messages (``message_id``), and calls tools between them. Each
message is a ``Segment``: its text grows with every delta and is replaced by the message's final text
when that differs from what streamed. The reply's text is its segments joined by a blank line, which is
what the store saves, the share page shows and the exports write; a ``ToolMark`` says where in that
text a tool call started.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ReplyStatus(StrEnum):
    """How a reply (or any saved message) stands; the store saves these values."""

    STREAMING = "streaming"
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"  # the app died or closed while it streamed: offer a retry
    ABORTED = "aborted"  # the user stopped it
    ERROR = "error"


class Change:
    """Base of what a ``LiveConversation`` (and its tool timeline) tells its subscribers."""

    __slots__ = ()


SEPARATOR = "\n\n"  # between a reply's segments: a paragraph break in Markdown


@dataclass
class Segment:
    """One message of the reply: what streamed so far, or its final text once ``closed``."""

    message_id: str
    text: str = ""
    closed: bool = False


@dataclass(frozen=True)
class ToolMark:
    """A tool call that started when the reply's text was ``offset`` characters long."""

    call_id: str
    offset: int


@dataclass
class Reply:
    segments: list[Segment] = field(default_factory=list)
    reasoning: str = ""
    marks: list[ToolMark] = field(default_factory=list)
    status: ReplyStatus = ReplyStatus.STREAMING
    error: str = ""
    model: str = ""
    input_tokens: int | None = None
    output_tokens: int | None = None
    duration_ms: float | None = None
    ttft_ms: float | None = None
    premium_cost: float | None = None  # premium requests its model calls used (None: not reported)

    @property
    def text(self) -> str:
        """The reply as saved and shared: its non-empty segments, a blank line between them."""
        return SEPARATOR.join(s.text for s in self.segments if s.text)

    @property
    def ended(self) -> bool:
        return self.status is not ReplyStatus.STREAMING

    def replace_text(self, segment: Segment, text: str) -> bool:
        """The message's final text replaces what streamed; tool marks after it move with it.

        Returns whether any mark moved (the store keeps where each call started)."""
        before = [s for s in self.segments[: self.segments.index(segment)] if s.text]
        prefix = len(SEPARATOR.join(s.text for s in before))
        start = prefix + (len(SEPARATOR) if before else 0)
        end = start + len(segment.text) if segment.text else prefix  # where its text ended
        old_length = len(self.text)
        segment.text = text
        shift = len(self.text) - old_length
        moved = False
        for index, mark in enumerate(self.marks):
            if mark.offset >= end:
                offset = mark.offset + shift
            elif mark.offset > start:  # inside the text that was replaced
                offset = min(mark.offset, start + len(text))
            else:
                continue
            if offset != mark.offset:
                self.marks[index] = ToolMark(mark.call_id, offset)
                moved = True
        return moved

    def segment(self, message_id: str) -> Segment:
        """The segment of ``message_id``, added at the end when it is new."""
        for segment in self.segments:
            if segment.message_id == message_id:
                return segment
        segment = Segment(message_id)
        self.segments.append(segment)
        return segment

    def add_usage(
        self,
        model: str,
        input_tokens: int | None,
        output_tokens: int | None,
        duration_ms: float | None,
        ttft_ms: float | None,
        cost: float | None = None,
    ) -> None:
        """One model call's usage: tokens, time and premium requests add up over a reply's calls."""
        if model:
            self.model = model
        if input_tokens is not None:
            self.input_tokens = (self.input_tokens or 0) + input_tokens
        if output_tokens is not None:
            self.output_tokens = (self.output_tokens or 0) + output_tokens
        if duration_ms is not None:
            self.duration_ms = (self.duration_ms or 0.0) + duration_ms
        if self.ttft_ms is None and ttft_ms is not None:
            self.ttft_ms = ttft_ms
        if cost is not None:
            self.premium_cost = (self.premium_cost or 0.0) + cost
