"""A tool call's outcome in a word or two, and the exit code read from the CLI's (untrusted) result."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation.tool_calls import TOOL_INTERRUPTED, ToolCall, ToolStatus, ToolTimeline
from desktop_app.core.conversation.tool_outcome import (
    OutcomeLevel,
    ToolOutcome,
    exit_code_of,
    parse_exit_code,
    tool_outcome,
)
from desktop_app.core.vocabulary.events import PermissionAnswered, PermissionAsked, ToolCompleted, ToolStarted
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, PermissionPrompt, RequestKind


def call(status: ToolStatus, **fields: object) -> ToolCall:
    return ToolCall("c1", "bash", status=status, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("record", "text", "level"),
    [
        (
            call(ToolStatus.PENDING, decision="Waiting for your answer"),
            "waiting for approval",
            OutcomeLevel.RUNNING,
        ),
        (call(ToolStatus.RUNNING), "running", OutcomeLevel.RUNNING),
        (call(ToolStatus.RUNNING, decision="Allowed once"), "allowed", OutcomeLevel.RUNNING),
        (call(ToolStatus.DENIED, decision="Denied: not now"), "denied", OutcomeLevel.ERROR),
        (call(ToolStatus.DONE), "done", OutcomeLevel.OK),
        (call(ToolStatus.DONE, decision="Always allowed (git)"), "allowed", OutcomeLevel.OK),
        (call(ToolStatus.DONE, exit_code=0), "exit code 0", OutcomeLevel.OK),
        (call(ToolStatus.DONE, exit_code=2), "exit code 2", OutcomeLevel.ERROR),
        (call(ToolStatus.FAILED, exit_code=1, error="boom"), "exit code 1", OutcomeLevel.ERROR),
        (call(ToolStatus.FAILED, exit_code=0, error="boom"), "failed", OutcomeLevel.ERROR),
        (call(ToolStatus.FAILED, error="no such file"), "failed", OutcomeLevel.ERROR),
        (call(ToolStatus.FAILED, error=TOOL_INTERRUPTED), "interrupted", OutcomeLevel.ERROR),
        (
            call(ToolStatus.DONE, result="a.txt\n<exited with exit code 127>\n"),
            "exit code 127",
            OutcomeLevel.ERROR,
        ),
    ],
)
def test_each_kind_of_call_gets_its_word(record: ToolCall, text: str, level: OutcomeLevel) -> None:
    outcome = tool_outcome(record)
    assert (outcome.text, outcome.level) == (text, level)
    assert "running" not in outcome.detail.casefold() or record.status is ToolStatus.RUNNING


def test_the_detail_says_how_it_was_answered_and_what_went_wrong() -> None:
    record = call(ToolStatus.FAILED, decision="Allowed once", exit_code=2, error="2 tests failed\nmore")
    assert tool_outcome(record) == ToolOutcome(
        "exit code 2", OutcomeLevel.ERROR, "Allowed once · Exited with code 2 · 2 tests failed"
    )
    assert tool_outcome(call(ToolStatus.DENIED, decision="Denied: too risky")).detail == "Denied: too risky"


def test_a_call_followed_through_its_events() -> None:
    line = ToolTimeline(clock=lambda: 1.0)
    line(ToolStarted("c1", "bash", {"command": "make"}, "Running command", "make"))
    prompt = PermissionPrompt("p1", RequestKind.SHELL, "c1", "Run a command", "make")
    line(PermissionAsked(prompt))
    assert tool_outcome(line.calls[0]).text == "waiting for approval"
    line(PermissionAnswered(prompt, Answer(Choice.ALLOW_ONCE)))
    assert tool_outcome(line.calls[0]).text == "allowed"
    line(ToolCompleted("c1", True, "built\n<exited with exit code 0>", ""))
    assert tool_outcome(line.calls[0]) == ToolOutcome(
        "exit code 0", OutcomeLevel.OK, "Allowed once · Exited with code 0"
    )


def test_the_reported_exit_code_wins_over_the_text() -> None:
    assert exit_code_of(call(ToolStatus.DONE, exit_code=3, result="<exited with exit code 0>")) == 3
    assert exit_code_of(call(ToolStatus.RUNNING, output="partial\n<exited with exit code 4>")) == 4


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("<exited with exit code 0>", 0),
        ("out\n<exited with exit code -1>  \n", -1),
        ("<exited with exit code 1> and then the model said more", None),  # not the trailer
        ("echo '<exited with exit code 9>'\n<exited with exit code 0>", 0),
        ("<exited with exit code 99999999999>", None),  # more digits than a status has
        ("<exited with exit code 4294967296>", None),  # out of range
        ("<exited with exit code ١>", None),  # Arabic-Indic digit: not the CLI's
        ("", None),
        ("exit code 1", None),
    ],
)
def test_the_exit_code_trailer(text: str, code: int | None) -> None:
    assert parse_exit_code(text) == code


@given(st.text(), st.integers(min_value=-(2**31), max_value=2**32 - 1), st.sampled_from(["", "\n", " \r\n"]))
def test_any_output_followed_by_the_trailer_gives_its_code(output: str, code: int, end: str) -> None:
    assert parse_exit_code(f"{output}\n<exited with exit code {code}>{end}") == code


@given(st.text())
def test_any_text_gives_a_sane_code_or_none(text: str) -> None:
    code = parse_exit_code(text)
    assert code is None or -(2**31) <= code < 2**32


@given(
    st.sampled_from(list(ToolStatus)),
    st.text(max_size=50),
    st.text(max_size=2000),
    st.one_of(st.none(), st.integers()),
)
def test_any_call_gets_a_short_single_line_label(
    status: ToolStatus, decision: str, text: str, code: int | None
) -> None:
    outcome = tool_outcome(call(status, decision=decision, result=text, error=text, exit_code=code))
    assert outcome.text and "\n" not in outcome.text and len(outcome.text) < 40
    assert "\n" not in outcome.detail and len(outcome.detail) < 500
