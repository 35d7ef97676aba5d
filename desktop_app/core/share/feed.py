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
        self._fed = ""  # the open reply's text as the transcript has it
        self._open = False
        self._held: list[str] = []  # background notices that wait for the reply to end
        self._unsubscribe: Callable[[], None] | None = None

    def follow(self, live: LiveConversation) -> None:
        """Follow ``live`` from now on; a reply already streaming is shown as it stands."""
        self.stop()
        if live.reply is not None:
            self._transcript.begin_reply()
            self._open, self._fed = True, ""
            self._feed(live.reply.text)
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
                self._open, self._fed = True, ""
            case TextAppended(reply=reply) | SegmentClosed(reply=reply) if self._open:
                self._feed(reply.text)
            case ReplyEnded(reply=reply) if self._open:
                self._transcript.end_reply(reply.text)
                self._open, self._fed = False, ""
                held, self._held = self._held, []
                for text in held:
                    self._transcript.add_notice(text)
            case NoticeAdded(text=text, background=True) if self._open:
                self._held.append(text)
            case NoticeAdded(text=text):
                self._transcript.add_notice(text)
            case _:
                pass

    def _feed(self, text: str) -> None:
        """Only what is new when the text grew; the whole text when the model replaced some of it."""
        if text.startswith(self._fed):
            self._transcript.reply_delta(text[len(self._fed) :])
        else:
            self._transcript.replace_reply(text)
        self._fed = text
