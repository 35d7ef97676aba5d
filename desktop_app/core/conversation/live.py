"""The conversation in memory: the one place a session's events are read for the reply and its tools.

A ``LiveConversation`` subscribes to a session's event hub and keeps the ``Reply`` in progress and the
``ToolTimeline``. Every reader (the view, the recorder, the share page, the tool panel) follows its
``changes`` hub instead of interpreting the events again, so they cannot disagree: a final text that
differs from what streamed, a tool call between two messages and a reused tool-call id are handled here
once. No Qt.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from desktop_app.core.conversation.changes import (
    Change,
    NoticeAdded,
    ReasoningAppended,
    ReasoningReplaced,
    ReplyBegan,
    ReplyEnded,
    Retitled,
    SegmentClosed,
    SteersReturned,
    TextAppended,
    ToolChanged,
    ToolPlaced,
    UsageAdded,
    UserSent,
)
from desktop_app.core.conversation.reply import Reply, ReplyStatus, ToolMark
from desktop_app.core.conversation.tool_calls import FINISHED, TOOL_INTERRUPTED, ToolCall, ToolTimeline
from desktop_app.core.vocabulary.attachments import Attachment
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.events import (
    ChatEvent,
    CliExited,
    CompactionCompleted,
    CompactionStarted,
    Idle,
    MessageCompleted,
    ReasoningCompleted,
    ReasoningDelta,
    SessionFailed,
    SessionLimitReached,
    TextDelta,
    TitleChanged,
    ToolCompleted,
    Usage,
    UserMessage,
    compaction_text,
)
from desktop_app.core.vocabulary.notices import Level

STOPPED = "Stopped."


class LiveConversation:
    """Subscriber of a session's events; publisher of ``Change``s.

    Signals (``changes``, an ``EventHub[Change]``): ``UserSent``, ``ReplyBegan``, ``TextAppended``,
    ``SegmentClosed``, ``ReasoningAppended``, ``ReasoningReplaced``, ``ToolPlaced``, ``ToolChanged``,
    ``UsageAdded``, ``ReplyEnded``, ``NoticeAdded``, ``Retitled``, ``SteersReturned``.

    A steering prompt ("Send now" while a reply streams) is shown and saved when the CLI takes it
    (its ``user.message``), not when it is sent: the reply so far ends there and the rest is a new
    reply after it, as the model saw them.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.tools = ToolTimeline(clock)
        self.changes: EventHub[Change] = EventHub("conversation")
        self.reply: Reply | None = None
        self._turn_calls: list[ToolCall] = []  # the calls started while this reply was open
        self._steers: list[tuple[str, str]] = []  # (text, model) sent into the reply, not yet taken
        self.tools.changes.subscribe(self._tool_changed)

    # -- what the controller tells it -----------------------------------------------------------
    def user_sent(self, text: str, model: str = "", attachments: Sequence[Attachment] = ()) -> None:
        self._end(ReplyStatus.COMPLETE)
        self.changes.publish(UserSent(text, model, attachments=tuple(attachments)))

    def begin_reply(self) -> Reply:
        """A prompt went out: its reply starts now (shown at once, saved once something arrives)."""
        self._end(ReplyStatus.COMPLETE)
        return self._open()

    def steer(self, text: str, model: str = "") -> None:
        """``text`` was sent into the running reply; it joins the conversation when the CLI takes it."""
        self._steers.append((text, model))

    @property
    def steering(self) -> list[str]:
        """Steering prompts sent but not yet taken, in order (kept in the draft until they are)."""
        return [text for text, _model in self._steers]

    def withdraw_steer(self, text: str) -> bool:
        """A steering prompt that never went after all: no longer expected (False: not expected)."""
        index = next((i for i, (sent, _model) in enumerate(self._steers) if sent == text), -1)
        if index >= 0:
            del self._steers[index]
        return index >= 0

    def forget_steers(self) -> list[str]:
        """The conversation is left: its steering prompts stay behind with it (in its draft)."""
        texts, self._steers = self.steering, []
        return texts

    def notice(self, text: str, level: Level = Level.INFO, saved: bool = True) -> None:
        self.changes.publish(NoticeAdded(text, level, saved))

    def interrupt(self) -> None:
        """The window closes or the conversation is left mid-reply: keep what arrived as interrupted."""
        self._end(ReplyStatus.INTERRUPTED)

    def load(self, calls: list[ToolCall]) -> None:
        """Another conversation: its saved tool calls, and no reply in progress."""
        self._end(ReplyStatus.INTERRUPTED)
        self._steers = []
        self.tools.load(calls)

    # -- session events -------------------------------------------------------------------------
    def __call__(self, event: ChatEvent) -> None:
        self.tools(event)  # tool calls come back through ``_tool_changed``
        match event:
            case TextDelta(message_id=mid, text=text) if text:
                reply = self._open()
                segment = reply.segment(mid)
                segment.text += text
                self.changes.publish(TextAppended(reply, segment, text))
            case MessageCompleted(message_id=mid, content=content, has_tool_requests=has_tools):
                reply = self._open()
                segment = reply.segment(mid)
                replaced = bool(content) and content != segment.text
                moved = reply.replace_text(segment, content) if replaced else False
                segment.closed = True
                self.changes.publish(SegmentClosed(reply, segment, replaced, has_tools, moved))
            case ReasoningDelta(text=text) if text:
                reply = self._open()
                reply.reasoning += text
                self.changes.publish(ReasoningAppended(reply, text))
            case ReasoningCompleted(content=content) if content and self.reply is not None:
                if content != self.reply.reasoning:
                    self.reply.reasoning = content
                    self.changes.publish(ReasoningReplaced(self.reply))
            case Usage() if self.reply is not None:
                self.reply.add_usage(
                    event.model, event.input_tokens, event.output_tokens, event.duration_ms,
                    event.time_to_first_token_ms, event.cost,
                )  # fmt: skip
                self.changes.publish(UsageAdded(self.reply))
            case UserMessage(content=content):
                self._steer_taken(content)
            case Idle(aborted=aborted):
                self._end(ReplyStatus.ABORTED if aborted else ReplyStatus.COMPLETE)
                if aborted:
                    self.notice(STOPPED)
                self._return_steers()
            case SessionFailed(message=message) | CliExited(message=message):
                self.notice(message, Level.ERROR)  # where it happened: before the reply is closed
                self._end(ReplyStatus.ERROR, message)
                self._return_steers()
            case SessionLimitReached(message=message):
                self.notice(message, Level.ERROR)  # the session declines it; the CLI ends the turn
            case TitleChanged(title=title) if title.strip():
                self.changes.publish(Retitled(title))
            case CompactionStarted():
                self.changes.publish(NoticeAdded(compaction_text(event), saved=False, background=True))
            case CompactionCompleted():
                self.changes.publish(NoticeAdded(compaction_text(event), background=True))
            case _:
                pass

    # -- inside ---------------------------------------------------------------------------------
    def _steer_taken(self, content: str) -> None:
        """The CLI took a prompt: if it is a steering one, the reply so far ends before it."""
        index = next((i for i, (text, _m) in enumerate(self._steers) if text.strip() == content.strip()), -1)
        if index < 0:
            return  # the turn's own prompt, shown when it was sent
        text, model = self._steers.pop(index)
        reply = self.reply
        if reply is not None and not (reply.text or reply.reasoning or reply.marks):
            # Read before the reply showed anything: the prompt goes above it, the reply stays open.
            self.changes.publish(UserSent(text, model, steered=True))
            return
        self._end(ReplyStatus.COMPLETE)
        self.changes.publish(UserSent(text, model, steered=True))
        self._open()

    def _return_steers(self) -> None:
        """The turn is over: steering prompts it never took (a stop drops them) wait to be sent."""
        if self._steers:
            texts, self._steers = tuple(self.steering), []
            self.changes.publish(SteersReturned(texts))

    def _open(self) -> Reply:
        if self.reply is None:
            self.reply = Reply()
            self._turn_calls = []
            self.changes.publish(ReplyBegan(self.reply))
        return self.reply

    def _tool_changed(self, change: ToolChanged) -> None:
        if change.new:
            reply = self._open()
            self._turn_calls.append(change.call)
            offset = len(reply.text)
            reply.marks.append(ToolMark(change.call.id, offset))
            self.changes.publish(ToolPlaced(reply, change.call, offset))
        self.changes.publish(change)

    def _end(self, status: ReplyStatus, error: str = "") -> None:
        """The reply is over: a call still waiting or running never will finish, so it failed."""
        reply = self.reply
        if reply is None:
            return
        for call in self._turn_calls:
            if call.status not in FINISHED and self.tools.get(call.id) is call:
                self.tools(ToolCompleted(call.id, success=False, result=call.result, error=TOOL_INTERRUPTED))
        self.reply, self._turn_calls = None, []
        reply.status, reply.error = status, error
        self.changes.publish(ReplyEnded(reply))
