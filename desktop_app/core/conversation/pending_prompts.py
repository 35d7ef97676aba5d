"""Prompts the user sent before the window could take them, kept in order until it can.

A prompt typed the moment the window appears, while the CLI restarts after a crash, while a
conversation opens or while a reply still streams is never dropped: it waits here, is shown as
pending (with Edit and Cancel), and is sent the moment the session can take it. No Qt here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from desktop_app.core.vocabulary.attachments import Attachment

_ids = itertools.count(1)


@dataclass(frozen=True)
class PendingPrompt:
    """One waiting prompt; ``key`` tells it apart from an identical text sent twice."""

    key: int
    text: str
    attachments: tuple[Attachment, ...] = ()  # sent with it (not kept in the draft)

    @property
    def preview(self) -> str:
        """Its first non-blank line, for a one-line chip (the full text is in its tooltip)."""
        first = next((line.strip() for line in self.text.splitlines() if line.strip()), "")
        more = len(self.text.strip().splitlines()) > 1
        return first + (" …" if more else "")


class PendingPrompts:
    """A first-in, first-out list of waiting prompts."""

    def __init__(self) -> None:
        self._items: list[PendingPrompt] = []

    def add(self, text: str, attachments: tuple[Attachment, ...] = ()) -> PendingPrompt:
        prompt = PendingPrompt(next(_ids), text, attachments)
        self._items.append(prompt)
        return prompt

    def take_first(self) -> PendingPrompt | None:
        return self._items.pop(0) if self._items else None

    def put_back_first(self, prompt: PendingPrompt) -> None:
        """A send that could not start after all: it waits again, still first."""
        self._items.insert(0, prompt)

    def put_back(self, texts: list[str]) -> None:
        """Prompts that were on their way but were not taken (a steer a stop dropped): first again."""
        self._items[:0] = [PendingPrompt(next(_ids), text) for text in texts]

    def remove(self, key: int) -> PendingPrompt | None:
        for index, prompt in enumerate(self._items):
            if prompt.key == key:
                return self._items.pop(index)
        return None

    def texts(self) -> list[str]:
        return [prompt.text for prompt in self._items]

    def clear(self) -> list[PendingPrompt]:
        items, self._items = self._items, []
        return items

    def __iter__(self) -> Iterator[PendingPrompt]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)


def draft_with_pending(pending: list[str], composer_text: str) -> str:
    """What is saved as the draft: waiting prompts first, so a crash before they go loses none."""
    parts = [text for text in pending if text.strip()]
    if composer_text.strip():
        parts.append(composer_text)
    return "\n\n".join(parts)


@dataclass(frozen=True)
class SendState:
    """What decides whether a prompt goes now, waits, or cannot go at all."""

    phase: str  # the controller's Phase value: starting | ready | needs_sign_in | needs_endpoint | failed
    busy: bool = False  # a reply is streaming
    switching: bool = False  # a conversation is opening
    read_only: bool = False  # the conversation's Copilot session is gone
    closed: bool = False  # the window closed

    def refusal(self) -> str | None:
        """Why nothing can be sent in this state, or None (sending may still have to wait)."""
        if self.read_only:
            return "Not sent: this conversation is read-only. Continue it in a new session first."
        return REFUSALS.get(self.phase)

    def can_send_now(self) -> bool:
        return self.phase == "ready" and not (self.busy or self.switching or self.read_only or self.closed)

    def wait_reason(self) -> str:
        """What waiting prompts wait for, in the words their chip shows."""
        refusal = self.refusal()
        if refusal is not None:
            return refusal.replace("Not sent: ", "Waiting: ", 1)
        if self.phase == "starting":
            return "Sends when Copilot is ready"
        if self.switching:
            return "Sends when the conversation is open"
        if self.busy:
            return "Sends when this reply ends"
        return "Sending…"


REFUSALS = {
    "needs_sign_in": "Not sent: sign in to GitHub first (see above), or use a model endpoint.",
    "needs_endpoint": "Not sent: choose the endpoint's base URL and model in Settings first.",
    "failed": "Not sent: Copilot could not start (see above).",
}
