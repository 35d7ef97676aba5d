"""A live conversation, followed for the share page: its changes become the server's transcript.

The share server subscribes to the core's one model of the conversation (``LiveConversation``), not to
the window, so the page shows the reply's text exactly as the store saves it: the same blank line
between messages, the final text where it differs from what streamed, background notices after the
reply they arrived during.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from desktop_app.core.conversation.changes import (
    Change,
    NoticeAdded,
    ReplyBegan,
    ReplyEnded,
    SegmentClosed,
    TextAppended,
    UserSent,
)
from desktop_app.core.conversation.live import LiveConversation
from desktop_app.core.conversation.reply import SEPARATOR, Reply, Segment


class SharedTranscript(Protocol):
    """What the feed tells (``ShareServer``'s conversation methods; thread-safe there)."""

    def add_user(self, text: str) -> None: ...
    def add_notice(self, text: str) -> None: ...
    def begin_reply(self) -> None: ...
    def reply_delta(self, text: str) -> None: ...
    def replace_reply(self, text: str) -> None: ...
    def end_reply(self, final_text: str | None = None) -> None: ...


class ConversationFeed:
    """Subscriber of ``LiveConversation.changes`` (on the UI thread) feeding a ``SharedTranscript``."""

    def __init__(self, transcript: SharedTranscript) -> None:
        self._transcript = transcript
        self._open = False
        self._segment: Segment | None = None  # the open reply's segment the last delta went to
        self._has_text = False  # the transcript's reply has text (a new segment starts with a break)
        self._held: list[str] = []  # background notices that wait for the reply to end
        self._unsubscribe: Callable[[], None] | None = None

    def follow(self, live: LiveConversation) -> None:
        """Follow ``live`` from now on; a reply already streaming is shown as it stands."""
        self.stop()
        if live.reply is not None:
            self._transcript.begin_reply()
            self._open = True
            self._replace(live.reply)
        self._unsubscribe = live.changes.subscribe(self)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def __call__(self, change: Change) -> None:
        match change:
            case UserSent(text=text):
                self._transcript.add_user(text)
            case ReplyBegan():
                self._transcript.begin_reply()
                self._open, self._segment, self._has_text = True, None, False
            case TextAppended(reply=reply, segment=segment, text=text) if self._open:
                self._append(reply, segment, text)
            case SegmentClosed(reply=reply, replaced=True) if self._open:
                self._replace(reply)
            case ReplyEnded(reply=reply) if self._open:
                self._transcript.end_reply(reply.text)
                self._open = False
                held, self._held = self._held, []
                for text in held:
                    self._transcript.add_notice(text)
            case NoticeAdded(text=text, background=True) if self._open:
                self._held.append(text)
            case NoticeAdded(text=text):
                self._transcript.add_notice(text)
            case _:
                pass

    def _append(self, reply: Reply, segment: Segment, text: str) -> None:
        """Only the new text (a streaming delta costs the same however long the reply is), unless it
        went to an earlier message than the last: then the whole text."""
        if segment is not reply.segments[-1] or (segment is not self._segment and segment.text != text):
            self._replace(reply)
            return
        if segment is not self._segment:  # a new message: the break ``Reply.text`` has before it
            self._segment = segment
            text = SEPARATOR + text if self._has_text else text
        self._transcript.reply_delta(text)
        self._has_text = True

    def _replace(self, reply: Reply) -> None:
        """The whole text, where the model's final text replaced some of what streamed."""
        text = reply.text
        self._transcript.replace_reply(text)
        self._segment = reply.segments[-1] if reply.segments else None
        self._has_text = bool(text)
