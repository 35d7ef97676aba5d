"""Which messages a reopened conversation renders first."""

from __future__ import annotations

from desktop_app.core.storage.history import split_newest
from desktop_app.core.storage.models import Message, Role


def msg(i: int, size: int) -> Message:
    return Message(f"m{i}", "c", i, Role.USER, "x" * size, 0.0, 0.0)


def test_newest_messages_within_the_budget() -> None:
    messages = [msg(i, 1000) for i in range(50)]
    older, newest = split_newest(messages, budget=10_500, min_count=2)
    assert [m.seq for m in newest] == list(range(40, 50))
    assert older + newest == messages


def test_at_least_min_count_even_when_huge() -> None:
    messages = [msg(i, 500_000) for i in range(5)]
    older, newest = split_newest(messages, budget=1000, min_count=2)
    assert [m.seq for m in newest] == [3, 4] and len(older) == 3


def test_small_conversations_are_shown_whole() -> None:
    messages = [msg(i, 10) for i in range(4)]
    assert split_newest(messages, budget=10_000) == ([], messages)
    assert split_newest([], budget=10) == ([], [])
