"""Prompts sent before the session could take them: kept in order, saved with the draft, and sent
one at a time the moment the session can take one. Nothing typed is lost. No Qt.

Why a queue of our own rather than the SDK's ``mode="enqueue"``: the CLI (1.0.102) runs a prompt
enqueued during a reply in the same run, with no ``session.idle`` between the two replies, so the
window would see one reply where there are two; a prompt handed to the CLI can no longer be edited or
cancelled from the chip; and one that waits here is in the conversation's draft, so it survives a
crash, a CLI restart and a switch of conversation. The SDK is used for what only it can do: **Send
now** steers the running reply (``mode="immediate"``); the CLI reads the prompt before its next
model call, and ``LiveConversation`` shows it when the CLI takes it. One the reply ends without
reading (a stop drops it) waits here again, first. Not covered: a Send now that reaches the CLI in
the few milliseconds after its turn ended starts a run of its own there, and comes back here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from desktop_app.core.conversation.changes import Change, SteersReturned, UserSent
from desktop_app.core.conversation.live import LiveConversation
from desktop_app.core.conversation.pending_prompts import PendingPrompt, PendingPrompts
from desktop_app.core.vocabulary.attachments import Attachment
from desktop_app.ui.controller.open_conversation import OpenConversation


class Steering(Protocol):
    """What sends into the running reply (the ``TurnRunner``)."""

    def steer(self, text: str, dropped: Callable[[str], None]) -> bool: ...


class PromptQueue:
    def __init__(
        self,
        conversation: OpenConversation,
        live: LiveConversation,
        turns: Steering,
        can_send_now: Callable[[], bool],
        send_now: Callable[[str, tuple[Attachment, ...]], None],
        changed: Callable[[], None],
    ) -> None:
        self.pending = PendingPrompts()  # shown above the composer, in order
        self._conversation = conversation
        self._live = live
        self._can_send_now = can_send_now
        self._send_now = send_now
        self._turns = turns
        self._changed = changed  # prompts were added, sent or taken back, or what they wait for changed
        live.changes.subscribe(self._live_changed)

    def accept(self, text: str, attachments: tuple[Attachment, ...] = ()) -> None:
        """Send ``text`` (with its attachments) now, or after the prompts already waiting."""
        if self.pending or not self._can_send_now():
            self.pending.add(text, attachments)
            self._updated()
        else:
            self._send_now(text, attachments)

    def take(self, key: int) -> PendingPrompt | None:
        """Take a waiting prompt back (to edit it or cancel it) before it is sent."""
        prompt = self.pending.remove(key)
        if prompt is not None:
            self._updated()
        return prompt

    def send_now(self, key: int, model: str = "") -> None:
        """**Send now** on a chip: into the running reply (it steers it); with no reply running, it
        goes first, at once if it can."""
        prompt = self.pending.remove(key)
        if prompt is None:
            return
        if self._turns.steer(prompt.text, self._steer_dropped):
            self._live.steer(prompt.text, model)
            self._updated()  # it stays in the draft (as a steer) until the CLI takes it
            return
        self.pending.put_back([prompt.text])
        self._updated()
        self.flush()

    def flush(self) -> None:
        """Send the first waiting prompt if the session can take it now (the rest follow in turn);
        the draft drops it once the send records it, so nothing is written here."""
        if not self.pending:
            return
        if self._can_send_now():
            prompt = self.pending.take_first()
            assert prompt is not None
            self._send_now(prompt.text, prompt.attachments)
        self._changed()  # one fewer waits, or what they wait for changed

    def leave_behind(self) -> None:
        """The user goes to another conversation: the waiting prompts stay with the one they were
        typed in, as its draft (saved there already), instead of going to the next one."""
        if self.pending or self._live.steering:
            self.save_draft()
            self.pending.clear()
            self._live.forget_steers()
            self._changed()

    def save_draft(self) -> None:
        """Steering prompts not yet taken, the waiting ones, then the composer's text, as the open
        conversation's draft."""
        self._conversation.save_draft(self._live.steering + self.pending.texts())

    def _steer_dropped(self, text: str) -> None:
        """A steer that could not go: it waits again, first (unless the reply's end put it back)."""
        if self._live.withdraw_steer(text):
            self.pending.put_back([text])
            self._updated()
            self.flush()

    def _live_changed(self, change: Change) -> None:
        match change:
            case UserSent(steered=True):
                self._updated()  # taken: saved as a message now, no longer in the draft or the bar
            case SteersReturned(texts=texts):
                self.pending.put_back(list(texts))
                self._updated()
                self.flush()
            case _:
                pass

    def _updated(self) -> None:
        self.save_draft()
        self._changed()
