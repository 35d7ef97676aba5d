"""Row heights of a virtualized conversation: whole pixels (never less than asked), tops are running
sums, lookups find the row at any y, and estimates grow with the text (so the scroll bar covers the
whole conversation)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.rendering.layout.row_heights import RowHeights, estimate_height

HEIGHTS = st.lists(st.floats(1.0, 5_000.0, allow_nan=False), min_size=1, max_size=200)


def _whole(value: float) -> float:
    return float(math.ceil(value - 1e-6))


def _heights(values: list[float]) -> RowHeights:
    heights = RowHeights()
    heights.extend(values[: len(values) // 2])
    for value in values[len(values) // 2 :]:
        heights.append(value)
    return heights


@given(HEIGHTS, st.data())
def test_tops_are_running_sums_and_row_at_inverts_them(values: list[float], data: st.DataObject) -> None:
    heights = _heights(values)
    assert len(heights) == len(values)
    running = 0.0
    for index, asked in enumerate(values):
        value = heights.height(index)
        assert value == _whole(asked) and value.is_integer() and value >= asked - 1e-6
        assert heights.top(index) == running  # whole pixels add up exactly
        assert heights.row_at(running + value / 2) == index  # the middle of a row is in it
        running += value
    assert heights.total == running
    y = data.draw(st.floats(-1_000.0, running + 1_000.0, allow_nan=False))
    row = heights.row_at(y)
    assert 0 <= row < len(values)  # clamped: above the first is the first, below the last the last


@given(HEIGHTS, st.data())
def test_set_reports_the_change_and_moves_every_top_below(values: list[float], data: st.DataObject) -> None:
    heights = _heights(values)
    index = data.draw(st.integers(0, len(values) - 1))
    new = data.draw(st.floats(1.0, 5_000.0, allow_nan=False))
    before = [heights.top(i) for i in range(len(values) + 1)]
    delta = heights.set(index, new)
    assert delta == _whole(new) - _whole(values[index])
    assert heights.is_exact(index) and heights.height(index) == _whole(new)
    for i in range(len(values) + 1):
        assert heights.top(i) == before[i] + (delta if i > index else 0.0)


def test_forget_exact_and_clear() -> None:
    heights = RowHeights()
    heights.extend([10.0, 20.0])
    heights.set(0, 12.0)
    assert heights.is_exact(0) and not heights.is_exact(1)
    heights.forget_exact()
    assert not heights.is_exact(0) and heights.height(0) == 12.0  # the height stays as an estimate
    heights.clear()
    assert len(heights) == 0 and heights.row_at(5.0) == -1 and heights.total == 0.0


@given(st.text(max_size=3_000), st.text(min_size=1, max_size=500))
def test_an_estimate_is_at_least_one_line_and_grows_with_the_text(text: str, more: str) -> None:
    short = estimate_height(text, 80.0, 22.0, 30.0)
    assert short >= 30.0 + 22.0
    assert estimate_height(text + more, 80.0, 22.0, 30.0) >= short
    assert estimate_height(text, 40.0, 22.0, 30.0) >= short  # a narrower column wraps more


def test_an_estimate_of_5_mb_is_proportional() -> None:
    prose = "word " * 1_000_000
    height = estimate_height(prose, 100.0, 20.0, 0.0)
    assert 0.9 * 50_000 * 20 <= height <= 1.1 * 50_000 * 20  # 5 MB / 100 chars per line
