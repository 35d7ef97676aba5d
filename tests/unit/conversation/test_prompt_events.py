"""Finding a stored prompt's ``user.message`` event in its session."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation.prompt_events import align, event_of


def events(*texts: str) -> list[tuple[str, str]]:
    return [(f"e{k}", text) for k, text in enumerate(texts)]


def test_the_same_prompts_pair_up_in_order() -> None:
    prompts = ["one", "two", "one"]
    assert align(prompts, events("one", "two", "one")) == {0: "e0", 1: "e1", 2: "e2"}


def test_a_prompt_the_cli_never_took_has_no_event_and_shifts_nothing() -> None:
    prompts = ["one", "failed to send", "two"]
    found = events("one", "two")
    assert event_of(prompts, found, 1) is None
    assert event_of(prompts, found, 2) == "e1"


def test_prompts_the_store_lacks_are_skipped() -> None:
    assert event_of(["two"], events("from the terminal", "two"), 0) == "e1"


def test_whitespace_does_not_matter() -> None:
    assert event_of(["a  b\n"], events("a b"), 0) == "e0"


TEXT = st.text(alphabet="abc \n", max_size=6)


@given(st.lists(TEXT, max_size=12), st.lists(st.booleans(), max_size=12), st.lists(TEXT, max_size=4))
def test_any_prompt_the_session_has_maps_to_an_event_of_the_same_text(
    prompts: list[str], dropped: list[bool], extra: list[str]
) -> None:
    """Whatever the store lacks or holds in addition, a match is always a prompt of the same text, in
    order, and never two prompts to one event."""
    kept = [p for k, p in enumerate(prompts) if not (k < len(dropped) and dropped[k])]
    session = events(*extra, *kept)
    found = align(prompts, session)
    texts = dict(session)
    assert all(" ".join(texts[e].split()) == " ".join(prompts[i].split()) for i, e in found.items())
    ordered = [found[i] for i in sorted(found)]
    assert ordered == sorted(ordered, key=lambda e: int(e[1:])) and len(set(ordered)) == len(ordered)
    if not any(k < len(dropped) and dropped[k] for k in range(len(prompts))) and not extra:
        assert len(found) == len(prompts)  # nothing missing on either side: all of them
