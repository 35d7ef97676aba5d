"""The heights of a conversation's rows: exact where a row was laid out, estimated everywhere else.

A virtualized view lays out only what is near the screen. The rest still needs a height, so that the
scroll bar covers the whole conversation and any message can be reached at once; an estimate from the
text's length stands in until the row is laid out, and the view keeps what is on screen still when an
estimate above it is replaced (see ``ConversationView``).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from itertools import accumulate


def estimate_height(text: str, chars_per_line: float, line_height: float, padding: float) -> float:
    """A row's height before it is laid out: its wrapped lines (each hard line at least one) at
    ``line_height``, plus ``padding``. Counted in C (``len``, ``count``), so 5 MB costs milliseconds."""
    per_line = max(chars_per_line, 8.0)
    wrapped = len(text) / per_line
    hard_lines = text.count("\n") + 1
    lines = max(wrapped, hard_lines * 0.6 + wrapped * 0.7)
    return padding + max(1.0, lines) * line_height


def _whole(height: float) -> float:
    """Whole pixels (rounded up: nothing is clipped), so every row's top is a whole pixel and a
    view that moves by the change of a height above the screen keeps its pixels exactly still."""
    return float(math.ceil(height - 1e-6))


class RowHeights:
    """Heights (px, whole) by row index, with their running tops computed only when asked for."""

    def __init__(self) -> None:
        self._heights: list[float] = []
        self._exact: list[bool] = []
        self._tops: list[float] | None = [0.0]

    def __len__(self) -> int:
        return len(self._heights)

    def clear(self) -> None:
        self._heights.clear()
        self._exact.clear()
        self._tops = [0.0]

    def append(self, height: float, exact: bool = False) -> None:
        height = _whole(height)
        self._heights.append(height)
        self._exact.append(exact)
        if self._tops is not None:
            self._tops.append(self._tops[-1] + height)

    def extend(self, heights: list[float]) -> None:
        """Estimated rows added at the end (a saved conversation opening)."""
        self._heights.extend(map(_whole, heights))
        self._exact.extend([False] * len(heights))
        self._tops = None

    def set(self, index: int, height: float, exact: bool = True) -> float:
        """A row's new height; returns how much it grew (negative when it shrank)."""
        height = _whole(height)
        delta = height - self._heights[index]
        self._heights[index] = height
        self._exact[index] = exact
        if delta:
            if self._tops is not None and index == len(self._heights) - 1:
                self._tops[-1] += delta  # the streaming reply at the end: no re-summing
            else:
                self._tops = None
        return delta

    def height(self, index: int) -> float:
        return self._heights[index]

    def is_exact(self, index: int) -> bool:
        return self._exact[index]

    def forget_exact(self) -> None:
        """The width changed: every height is an estimate again until laid out anew."""
        self._exact = [False] * len(self._heights)

    def _ensure_tops(self) -> list[float]:
        if self._tops is None:
            self._tops = [0.0, *accumulate(self._heights)]
        return self._tops

    def top(self, index: int) -> float:
        """Where row ``index`` starts (``len(self)``: the end of the last row)."""
        return self._ensure_tops()[index]

    @property
    def total(self) -> float:
        return self._ensure_tops()[-1]

    def row_at(self, y: float) -> int:
        """The row that contains ``y`` (clamped to the rows there are; -1 when there are none)."""
        if not self._heights:
            return -1
        tops = self._ensure_tops()
        return min(max(bisect_right(tops, y) - 1, 0), len(self._heights) - 1)
