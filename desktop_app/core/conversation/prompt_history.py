"""Earlier prompts for the composer: Up and Down walk them, Ctrl+R searches them. No Qt.

The prompts come newest first, this conversation's before everyone else's (``merge``), each once.
``PromptWalk`` is the walk itself: it keeps the draft the user had typed, so walking back past the
newest prompt gives it back untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

MAX_PROMPTS = 500  # walked or searched; older ones are a Ctrl+K search away


def merge(*groups: Iterable[str], limit: int = MAX_PROMPTS) -> list[str]:
    """The groups in order (each newest first), blank prompts and repeats left out: a prompt sent
    again is kept where it comes first (in this conversation, or at its newest)."""
    seen: set[str] = set()
    merged: list[str] = []
    for group in groups:
        for prompt in group:
            key = prompt.strip()
            if key and key not in seen:
                seen.add(key)
                merged.append(prompt)
                if len(merged) >= limit:
                    return merged
    return merged


def search(prompts: Sequence[str], query: str) -> list[str]:
    """The prompts holding every word of ``query`` (case does not matter), in their order."""
    words = query.casefold().split()
    return [p for p in prompts if all(word in p.casefold() for word in words)]


class PromptWalk:
    """Up (``older``) and Down (``newer``) through earlier prompts, from the draft and back to it."""

    def __init__(self) -> None:
        self._prompts: list[str] = []
        self._index = -1  # -1: not walking; the draft is in the composer
        self._draft = ""

    @property
    def walking(self) -> bool:
        return self._index >= 0

    def older(self, prompts: Sequence[str], draft: str) -> str | None:
        """The prompt before the one shown (the newest when not walking yet: ``prompts`` and ``draft``
        are read then); None when there is none older."""
        if not self.walking:
            if not prompts:
                return None
            self._prompts, self._draft = list(prompts), draft
        if self._index + 1 >= len(self._prompts):
            return None
        self._index += 1
        return self._prompts[self._index]

    def newer(self) -> str | None:
        """The prompt after the one shown, or the draft past the newest (and the walk is over);
        None when not walking."""
        if not self.walking:
            return None
        self._index -= 1
        if self._index < 0:
            return self.leave()
        return self._prompts[self._index]

    def leave(self) -> str:
        """The walk is over (Esc, or the prompt was edited or sent): the draft it began from."""
        draft, self._draft = self._draft, ""
        self._index, self._prompts = -1, []
        return draft
