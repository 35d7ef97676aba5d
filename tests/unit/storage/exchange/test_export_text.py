"""What every export format shares: export order, times and notes for people, Markdown code."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

import pytest

from desktop_app.core.storage.exchange.export_text import (
    ROLE_LABELS,
    code_span,
    fenced,
    format_time,
    in_export_order,
    status_note,
)
from desktop_app.core.storage.models import Conversation, ConversationWithMessages, Message, Role, Status


def conversation(cid: str, created_at: float, *seqs: int) -> ConversationWithMessages:
    messages = [Message(f"{cid}{s}", cid, s, Role.USER, "", created_at, created_at) for s in seqs]
    return ConversationWithMessages(Conversation(cid, "", created_at, created_at), messages)


def test_export_order_is_by_creation_then_id_and_messages_by_seq() -> None:
    items = [conversation("b", 2.0, 3, 1, 2), conversation("c", 1.0), conversation("a", 2.0)]
    ordered = in_export_order(items)
    assert [i.conversation.id for i in ordered] == ["c", "a", "b"]
    assert [m.seq for m in ordered[2].messages] == [1, 2, 3]
    assert [m.seq for m in items[0].messages] == [3, 1, 2]  # the input is left as it was
    assert in_export_order(reversed(ordered)) == ordered  # any order in, the same order out


def test_times_and_notes_for_people() -> None:
    assert format_time(1714550400.9, UTC) == "2024-05-01 08:00"
    assert format_time(1714550400.0, timezone(timedelta(hours=-5))) == "2024-05-01 03:00"
    message = Message("m", "c", 1, Role.ASSISTANT, "", 0.0, 0.0)
    assert status_note(message) == ""
    assert (
        status_note(Message("m", "c", 1, Role.ASSISTANT, "", 0.0, 0.0, status=Status.ABORTED)) == " (aborted)"
    )
    assert [ROLE_LABELS[role] for role in Role] == ["You", "Copilot", "Notice"]


@pytest.mark.parametrize(
    ("text", "language", "block"),
    [
        ("plain", "", "```\nplain\n```"),
        ("x = 1\n\n", "python", "```python\nx = 1\n```"),  # trailing newlines: the fence closes them
        ("a ``` b", "", "````\na ``` b\n````"),
        ("", "", "```\n\n```"),
    ],
)
def test_a_fence_is_longer_than_any_backticks_inside(text: str, language: str, block: str) -> None:
    assert fenced(text, language) == block


@pytest.mark.parametrize(
    ("text", "span"),
    [("x", "`x`"), ("a `b` c", "``a `b` c``"), ("``", "``` `` ```"), ("x`", "`` x` ``")],
)
def test_a_code_span_shows_its_text_as_it_is(text: str, span: str) -> None:
    assert code_span(text) == span
