"""Waiting prompts: kept in order, taken back by key, saved in the draft until they go."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.conversation.pending_prompts import PendingPrompts, SendState, draft_with_pending


def test_prompts_wait_in_order_and_can_be_taken_back() -> None:
    pending = PendingPrompts()
    first, second, third = pending.add("one"), pending.add("two"), pending.add("one")
    assert first.key != third.key  # the same text twice is two prompts
    assert pending.remove(second.key) == second
    assert pending.remove(second.key) is None
    assert pending.take_first() == first
    pending.put_back_first(first)
    assert pending.texts() == ["one", "one"]
    assert [p.key for p in pending.clear()] == [first.key, third.key]
    assert not pending and pending.take_first() is None


def test_preview_is_the_first_written_line() -> None:
    pending = PendingPrompts()
    assert pending.add("\n\n  fix the bug  \nin main.py").preview == "fix the bug …"
    assert pending.add("one line").preview == "one line"


def test_the_draft_keeps_waiting_prompts_before_the_typed_text() -> None:
    assert draft_with_pending(["first", "  "], "typing") == "first\n\ntyping"
    assert draft_with_pending([], "typing") == "typing"
    assert draft_with_pending(["a", "b"], "") == "a\n\nb"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text()), st.text())
def test_no_waiting_text_is_left_out_of_the_draft(pending: list[str], typed: str) -> None:
    draft = draft_with_pending(pending, typed)
    for text in [*pending, typed]:
        if text.strip():
            assert text in draft


def test_what_a_prompt_waits_for() -> None:
    assert SendState("starting").wait_reason() == "Sends when Copilot is ready"
    assert SendState("ready", busy=True).wait_reason() == "Sends when this reply ends"
    assert SendState("ready", switching=True).wait_reason() == "Sends when the conversation is open"
    assert SendState("ready").can_send_now()
    for state in (
        SendState("starting"),
        SendState("ready", busy=True),
        SendState("ready", switching=True),
        SendState("ready", read_only=True),
        SendState("ready", closed=True),
    ):
        assert not state.can_send_now()


def test_what_can_never_be_sent_says_why() -> None:
    assert SendState("starting").refusal() is None
    assert SendState("ready", busy=True).refusal() is None
    assert "sign in" in (SendState("needs_sign_in").refusal() or "")
    assert "endpoint" in (SendState("needs_endpoint").refusal() or "")
    assert "could not start" in (SendState("failed").refusal() or "")
    assert "read-only" in (SendState("ready", read_only=True).refusal() or "")
    assert SendState("needs_sign_in").wait_reason().startswith("Waiting: sign in")
