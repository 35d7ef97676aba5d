"""Prompts sent before the session could take them: kept in order, saved with the draft, and sent
one at a time the moment the session can take one. Nothing typed is lost. No Qt.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.core.conversation.pending_prompts import PendingPrompt, PendingPrompts
from desktop_app.core.vocabulary.attachments import Attachment
from desktop_app.ui.controller.open_conversation import OpenConversation


class PromptQueue:
    def __init__(
        self,
        conversation: OpenConversation,
        can_send_now: Callable[[], bool],
        send_now: Callable[[str, tuple[Attachment, ...]], None],
        changed: Callable[[], None],
    ) -> None:
        self.pending = PendingPrompts()  # shown above the composer, in order
        self._conversation = conversation
        self._can_send_now = can_send_now
        self._send_now = send_now
        self._changed = changed  # prompts were added, sent or taken back, or what they wait for changed

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
        if self.pending:
            self.save_draft()
            self.pending.clear()
            self._changed()

    def save_draft(self) -> None:
        """The waiting prompts, then the composer's text, as the open conversation's draft."""
        self._conversation.save_draft(self.pending.texts())

    def _updated(self) -> None:
        self.save_draft()
        self._changed()
