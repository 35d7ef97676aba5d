"""Walking and searching earlier prompts: the draft always comes back, nothing is shown twice."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation.prompt_history import PromptWalk, merge, search

prompts = st.lists(st.text(max_size=12), max_size=8)


def test_up_walks_older_and_down_comes_back_to_the_draft() -> None:
    walk = PromptWalk()
    assert walk.newer() is None and not walk.walking
    assert walk.older(["new", "mid", "old"], "my draft") == "new"
    assert walk.older(["ignored while walking"], "ignored") == "mid"
    assert walk.older([], "") == "old"
    assert walk.older([], "") is None  # the oldest stays
    assert walk.newer() == "mid" and walk.newer() == "new"
    assert walk.newer() == "my draft" and not walk.walking
    assert walk.newer() is None


def test_no_prompts_no_walk_and_leave_gives_the_draft_back() -> None:
    walk = PromptWalk()
    assert walk.older([], "draft") is None and not walk.walking
    walk.older(["a"], "draft")
    assert walk.leave() == "draft" and not walk.walking


def test_merge_keeps_the_first_of_each_prompt_and_drops_blanks() -> None:
    assert merge(["b", "a", " "], ["c", "a", "b ", "d"]) == ["b", "a", "c", "d"]
    assert merge(["a", "b", "c"], limit=2) == ["a", "b"]


def test_search_needs_every_word_in_any_case() -> None:
    found = search(["Fix the Parser", "parse JSON", "fix tests"], "fix PARS")
    assert found == ["Fix the Parser"]
    assert search(["a", "b"], "  ") == ["a", "b"]


@given(st.lists(prompts, max_size=3))
def test_merged_prompts_are_unique_non_blank_and_in_the_order_they_came(groups: list[list[str]]) -> None:
    merged = merge(*groups)
    keys = [p.strip() for p in merged]
    assert len(keys) == len(set(keys)) and all(keys)
    flat = [p for group in groups for p in group]
    assert {p.strip() for p in flat if p.strip()} == set(keys)
    positions = [flat.index(p) for p in merged]
    assert positions == sorted(positions)


@given(prompts, st.text(max_size=6))
def test_search_finds_a_subsequence_holding_the_query(items: list[str], query: str) -> None:
    found = search(items, query)
    rest = iter(items)
    assert all(any(p == q for q in rest) for p in found)  # in order, a subsequence
    assert all(w in p.casefold() for p in found for w in query.casefold().split())


@given(prompts, st.text(max_size=8), st.lists(st.booleans(), max_size=20))
def test_any_walk_ends_on_the_draft(items: list[str], draft: str, ups: list[bool]) -> None:
    walk, items = PromptWalk(), merge(items)
    depth = 0
    for up in ups:
        if up:
            depth += walk.older(items, draft) is not None
        elif walk.walking:
            shown = walk.newer()
            depth -= 1
            assert shown == (draft if depth == 0 else items[depth - 1])
        assert walk.walking == (depth > 0) and depth <= len(items)
    shown = None
    while walk.walking:
        shown = walk.newer()
    assert depth == 0 or shown == draft  # Down, as often as it takes, gives the draft back
