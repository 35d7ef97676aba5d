"""Which rows the render process is asked to make next: those near the screen, nearest first.

A view asks for about ``ASK_WEIGHT`` at a time (``Row.weight``), so what comes back is still near
the screen when it arrives, and never for a row it already has, is waiting for, or renders itself.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from desktop_app.core.rendering.layout.row_heights import RowHeights
from desktop_app.ui.conversation.view.rows import Row

AHEAD_PX = 3_000  # the render process makes the HTML of what is this near the screen
ASK_WEIGHT = 30_000  # about this much (``Row.weight``) at a time, so what is asked stays near


def rows_to_ask(
    rows: Sequence[Row], heights: RowHeights, value: float, height: float, known: Sequence[Container[str]]
) -> list[Row]:
    """The rows within ``AHEAD_PX`` of the screen (from ``value``, ``height`` px tall), nearest its
    centre first, up to ``ASK_WEIGHT``, but for those whose key is in one of ``known`` (the view has
    them, or they are on their way, or the process failed them)."""
    centre = heights.row_at(value + height / 2)
    near = range(heights.row_at(value - AHEAD_PX), heights.row_at(value + height + AHEAD_PX) + 1)
    wanted, weight = [], 0
    for index in sorted(near, key=lambda i: abs(i - centre)):
        row = rows[index]
        if row.streaming or any(row.key in keys for keys in known):
            continue
        wanted.append(row)
        weight += row.weight
        if weight >= ASK_WEIGHT:
            break
    return wanted
