"""What the formats share: export order, times and notes for people, Markdown code that shows any
text (``export_text``); what Markdown and HTML show of a tool call, and where (``tool_call_layout``)."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

import pytest

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage.exchange.export_text import (
    ROLE_LABELS,
    code_span,
    fenced,
    format_time,
    in_export_order,
    status_note,
)
from desktop_app.core.storage.exchange.tool_call_layout import (
    LINE_LIMIT,
    calls_by_message,
    interleave,
    one_line,
    summarize,
)
from desktop_app.core.storage.models import (
    Conversation,
    ConversationWithMessages,
    Message,
    Role,
    SavedToolCall,
    Status,
)


# -- export_text ------------------------------------------------------------------------------------
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


# -- tool_call_layout -------------------------------------------------------------------------------
def test_a_summary_puts_the_headline_first_and_the_rest_in_sections() -> None:
    call = ToolCall(
        "c",
        "bash",
        title="Running command",
        arguments='{"command": "ls"}',
        command="ls\n-la",
        status=ToolStatus.FAILED,
        output="out",
        result="out\n",
        error="first line\nsecond line",
        exit_code=2,
        files=("a.txt",),
        permission="Run ls",
        decision="Allowed once",
        started_at=10.0,
        finished_at=11.25,
        parent_id="outer",
    )
    summary = summarize(call)
    assert (summary.nested, summary.name, summary.what) == (True, "bash", "ls -la")
    assert summary.facts == "failed · exit 2 · 1.2 s"
    assert (summary.decision, summary.error) == ("Allowed once", "first line second line")
    labels = [(label, lang) for label, _text, lang in summary.sections]
    # The result is the output again, so it is not shown twice; the error did not fit on one line.
    assert labels == [("Arguments", "json"), ("Permission request", ""), ("Output", ""), ("Error", "")]
    assert summary.files == ("a.txt",)


def test_a_bare_call_has_only_a_headline() -> None:
    summary = summarize(ToolCall("c", "bash", title="bash", arguments="not json", started_at=1.0))
    assert (summary.nested, summary.what, summary.facts) == (False, "", "running")
    assert summary.sections == [("Arguments", "not json", "")]
    assert summary.decision == summary.error == ""


def test_one_line_folds_whitespace_and_cuts_long_text() -> None:
    assert one_line("  a\n\tb  c ") == "a b c"
    cut = one_line("word " * 100)
    assert len(cut) <= LINE_LIMIT and cut.endswith("word…")
    assert one_line("x" * 30, limit=10) == "x" * 9 + "…"


def placed(call_id: str, offset: int, message_id: str | None = "m") -> SavedToolCall:
    return SavedToolCall(ToolCall(call_id, call_id, started_at=1.0), message_id, offset)


def test_calls_cut_the_text_where_they_started_but_never_inside_code() -> None:
    text = "before\n```\ncode\n```\nafter"
    pieces = interleave(text, [placed("x", 3), placed("y", 9), placed("z", 3)])
    shown = [p if isinstance(p, str) else f"<{p.id}>" for p in pieces]
    assert shown == ["bef", "<x>", "<z>", "ore\n```\ncode\n```\n", "<y>", "after"]
    assert interleave("text", []) == ["text"]
    assert [p.id if isinstance(p, ToolCall) else p for p in interleave("", [placed("x", 5)])] == ["x", ""]


def test_calls_go_to_their_messages_or_stand_apart() -> None:
    message = Message("m", "c", 1, Role.ASSISTANT, "", 0.0, 0.0)
    calls = [placed("a", 0), placed("b", 0, None), placed("c", 0, "elsewhere"), placed("d", 1)]
    item = ConversationWithMessages(Conversation("c", "", 0.0, 0.0), [message], calls)
    by_message, loose = calls_by_message(item)
    assert {mid: [s.call.id for s in saved] for mid, saved in by_message.items()} == {"m": ["a", "d"]}
    assert [s.call.id for s in loose] == ["b", "c"]
