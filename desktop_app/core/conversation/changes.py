"""What a ``LiveConversation`` tells its subscribers (the view, the recorder, the share page, the panel).

Each change carries the ``Reply`` it concerns, so a subscriber reads the one model of the reply rather
than keeping its own copy of the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.conversation.reply import Change, Reply, Segment
from desktop_app.core.conversation.tool_calls import ToolCall, ToolChanged
from desktop_app.core.vocabulary.attachments import Attachment
from desktop_app.core.vocabulary.notices import Level

__all__ = [
    "Change",
    "NoticeAdded",
    "ReasoningAppended",
    "ReasoningReplaced",
    "ReplyBegan",
    "ReplyEnded",
    "Retitled",
    "SegmentClosed",
    "SteersReturned",
    "TextAppended",
    "ToolChanged",
    "ToolPlaced",
    "UsageAdded",
    "UserSent",
]


@dataclass(frozen=True)
class UserSent(Change):
    """The user's prompt went to Copilot."""

    text: str
    model: str = ""
    steered: bool = False  # sent into a running reply ("Send now"), taken by the CLI only now
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class SteersReturned(Change):
    """The reply ended before the CLI took these steering prompts (a stop drops them): they wait again."""

    texts: tuple[str, ...]


@dataclass(frozen=True)
class ReplyBegan(Change):
    reply: Reply


@dataclass(frozen=True)
class TextAppended(Change):
    """``text`` streamed onto the end of ``segment`` (the reply's last)."""

    reply: Reply
    segment: Segment
    text: str


@dataclass(frozen=True)
class SegmentClosed(Change):
    """A message of the reply is complete; ``replaced``: its final text is not what streamed.
    ``has_tools``: the model called tools with it, so the reply goes on after them.
    ``marks_moved``: tool calls after it now start elsewhere in the text (``reply.marks``)."""

    reply: Reply
    segment: Segment
    replaced: bool
    has_tools: bool
    marks_moved: bool = False


@dataclass(frozen=True)
class ReasoningAppended(Change):
    reply: Reply
    text: str


@dataclass(frozen=True)
class ReasoningReplaced(Change):
    """The model's final reasoning (``reply.reasoning``) replaced what streamed."""

    reply: Reply


@dataclass(frozen=True)
class ToolPlaced(Change):
    """A new tool call belongs to ``reply``, where its text is ``offset`` characters long."""

    reply: Reply
    call: ToolCall
    offset: int


@dataclass(frozen=True)
class UsageAdded(Change):
    reply: Reply


@dataclass(frozen=True)
class ReplyEnded(Change):
    """``reply.status`` says how (complete, stopped, failed with ``reply.error``, interrupted)."""

    reply: Reply


@dataclass(frozen=True)
class NoticeAdded(Change):
    """The app's own line in the transcript. ``saved``: the conversation keeps it (a compaction that
    only started is shown, not saved); ``background``: it does not interrupt a streaming reply."""

    text: str
    level: Level = Level.INFO
    saved: bool = True
    background: bool = False


@dataclass(frozen=True)
class Retitled(Change):
    """Copilot named the session."""

    title: str
