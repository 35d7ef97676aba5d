"""Where a find's text occurs in a message: case-insensitive, as typed (not a regular expression)."""

from __future__ import annotations

import re
from dataclasses import dataclass


def positions(text: str, query: str) -> list[int]:
    """Where ``query`` starts in ``text``, non-overlapping, ignoring case; none for an empty query.

    Indexes are in ``text`` itself (re's case folding keeps lengths, unlike ``str.lower`` on a few
    letters), so they can be handed to a document holding the same text."""
    if not query:
        return []
    return [m.start() for m in re.finditer(re.escape(query), text, re.IGNORECASE)]


@dataclass(frozen=True)
class Match:
    """The ``occurrence``-th match (0-based) in row ``row``."""

    row: int
    occurrence: int


class FindResults:
    """Every match of one query across a conversation's rows, and which one is current."""

    def __init__(self, counts: list[int]) -> None:
        self._counts = counts
        self._total = sum(counts)
        self.current = 0 if self._total else -1  # an index into the flat list of matches

    @property
    def total(self) -> int:
        return self._total

    def count_in(self, row: int) -> int:
        return self._counts[row] if 0 <= row < len(self._counts) else 0

    def recount(self, row: int, count: int) -> None:
        """A row's count from its rendered text, which can differ from its source's."""
        if not 0 <= row < len(self._counts) or self._counts[row] == count:
            return
        here = self.match(self.current) if self.current >= 0 else None
        self._total += count - self._counts[row]
        self._counts[row] = count
        if not self._total:
            self.current = -1
        elif here is None:
            self.current = 0  # there were none: the first one found is current
        else:
            occurrence = min(here.occurrence, max(self.count_in(here.row) - 1, 0))
            self.current = min(self.flat_index(Match(here.row, occurrence)), self._total - 1)

    def match(self, index: int) -> Match:
        """The ``index``-th match of all (0-based)."""
        remaining = index
        for row, count in enumerate(self._counts):
            if remaining < count:
                return Match(row, remaining)
            remaining -= count
        raise IndexError(index)

    def flat_index(self, match: Match) -> int:
        return sum(self._counts[: match.row]) + match.occurrence

    def step(self, forward: bool) -> Match | None:
        """The next (or previous) match, wrapping around; None when there is none."""
        if not self._total:
            return None
        self.current = (self.current + (1 if forward else -1)) % self._total
        return self.match(self.current)

    def first_from(self, row: int) -> Match | None:
        """The first match at or after ``row`` (wrapping), made current: where a find starts."""
        if not self._total:
            return None
        for offset in range(len(self._counts)):
            candidate = (row + offset) % len(self._counts)
            if self._counts[candidate]:
                self.current = self.flat_index(Match(candidate, 0))
                return Match(candidate, 0)
        return None
