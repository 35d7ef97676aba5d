"""Find in the conversation: where a query occurs (as typed, any case), and stepping through every
match across rows, wrapping around, with counts corrected when a row's rendered text differs."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.rendering.layout.matches import FindResults, Match, positions


@given(st.text(max_size=400), st.text(min_size=1, max_size=8))
def test_positions_are_where_the_query_is_ignoring_case(text: str, query: str) -> None:
    found = positions(text, query)
    assert found == sorted(set(found))
    for start in found:  # each is the query, in any case (re's simple folding keeps lengths)
        assert re.fullmatch(re.escape(query), text[start : start + len(query)], re.IGNORECASE)
    if query.isascii() and text.isascii():
        assert len(found) == len(positions(text.lower(), query.lower()))
        assert len(found) == text.lower().count(query.lower())
    for first, second in itertools.pairwise(found):
        assert second - first >= len(query)  # not overlapping


def test_positions_treat_the_query_as_text_not_a_pattern() -> None:
    assert positions("a.b axb A.B", "a.b") == [0, 8]
    assert positions("(x)[y]*", "[y]*") == [3]
    assert positions("anything", "") == []


@given(st.lists(st.integers(0, 5), max_size=30), st.lists(st.booleans(), max_size=60))
def test_stepping_visits_every_match_in_order_and_wraps(counts: list[int], steps: list[bool]) -> None:
    results = FindResults(counts)
    total = sum(counts)
    assert results.total == total
    flat = [Match(row, n) for row, count in enumerate(counts) for n in range(count)]
    assert [results.match(i) for i in range(total)] == flat
    if not total:
        assert results.step(True) is None and results.first_from(0) is None
        return
    results.first_from(0)
    current = results.current
    for forward in steps:
        match = results.step(forward)
        current = (current + (1 if forward else -1)) % total
        assert match == flat[current] and results.flat_index(match) == current


@given(st.lists(st.integers(0, 4), min_size=1, max_size=20), st.data())
def test_first_from_starts_at_or_after_the_row_wrapping(counts: list[int], data: st.DataObject) -> None:
    results = FindResults(counts)
    row = data.draw(st.integers(0, len(counts) - 1))
    match = results.first_from(row)
    if not sum(counts):
        assert match is None
        return
    assert match is not None and match.occurrence == 0 and counts[match.row]
    between = [(row + k) % len(counts) for k in range((match.row - row) % len(counts))]
    assert all(counts[r] == 0 for r in between)  # no row with matches was skipped


@given(st.lists(st.integers(0, 4), min_size=1, max_size=20), st.data())
def test_a_recount_keeps_the_current_match_valid(counts: list[int], data: st.DataObject) -> None:
    results = FindResults(list(counts))
    results.first_from(0)
    row = data.draw(st.integers(0, len(counts) - 1))
    new = data.draw(st.integers(0, 6))
    results.recount(row, new)
    assert results.total == sum(counts) - counts[row] + new
    assert results.count_in(row) == new
    if results.total:
        assert 0 <= results.current < results.total
        results.match(results.current)  # does not raise
    else:
        assert results.current == -1 and results.step(True) is None
