"""The diff builder and its HTML: what a create or edit call changed, from its arguments, bounded and
escaped whatever the model sends (huge, binary, markup, CRLF, no trailing newline)."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.conversation.diff_html import INLINE_LINES, changes_summary, full_diff, inline_diff
from desktop_app.core.conversation.file_diff import (
    MAX_LINE_CHARS,
    MAX_LINES,
    LineKind,
    build_diff,
    diff_of,
    diff_of_call,
    totals,
)
from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.theme import DARK, LIGHT


def kinds(text_old: str, text_new: str) -> list[tuple[str, str]]:
    return [(k.value, t) for k, t in build_diff("c", "f.txt", text_old, text_new).lines]


def test_an_edit_shows_removed_and_added_lines_with_counts() -> None:
    diff = build_diff("c", "a.py", "one\ntwo\nthree\n", "one\nTWO\n2\nthree\n")
    assert (diff.added, diff.removed) == (2, 1)
    assert [(k.value, t) for k, t in diff.lines if k is not LineKind.HUNK] == [
        (" ", "one"), ("-", "two"), ("+", "TWO"), ("+", "2"), (" ", "three"),
    ]  # fmt: skip


def test_a_create_is_all_added_lines() -> None:
    diff = diff_of_call("c", "create", json.dumps({"path": "/w/new.txt", "file_text": "a\nb"}))
    assert diff is not None and diff.created and (diff.added, diff.removed) == (2, 0)
    assert [t for k, t in diff.lines if k is LineKind.ADDED] == ["a", "b"]


def test_crlf_and_a_missing_trailing_newline_are_not_changes() -> None:
    assert kinds("a\r\nb\r\n", "a\nb") == []
    assert [k for k, _ in kinds("a\r\nb", "a\r\nc")] == ["@", " ", "-", "+"]


def test_only_create_and_edit_with_the_right_arguments_have_a_diff() -> None:
    assert diff_of_call("c", "bash", json.dumps({"command": "rm x"})) is None
    assert diff_of_call("c", "edit", "not json") is None
    assert diff_of_call("c", "edit", json.dumps([1, 2])) is None
    assert diff_of_call("c", "edit", json.dumps({"path": 3, "old_str": "a", "new_str": "b"})) is None
    assert diff_of_call("c", "create", json.dumps({"path": "x", "file_text": None})) is None
    assert diff_of_call("c", "edit", "[" * 100_000) is None  # too deep to parse: no diff, no crash


def test_only_a_call_that_succeeded_changed_anything() -> None:
    arguments = json.dumps({"path": "/w/a", "old_str": "x", "new_str": "y"})
    for status in ToolStatus:
        call = ToolCall("c", "edit", arguments=arguments, status=status)
        assert (diff_of(call) is not None) is (status is ToolStatus.DONE)


def test_binary_text_is_not_shown() -> None:
    diff = build_diff("c", "img.png", "", "\x89PNG\x00\x01")
    assert diff.binary and diff.lines == ()
    assert "Binary file" in inline_diff(diff, LIGHT)


def test_huge_input_is_capped() -> None:
    diff = build_diff("c", "big.txt", "", "x\n" * 300_000)
    assert diff.truncated and len(diff.lines) <= MAX_LINES
    long_line = build_diff("c", "l.txt", "", "y" * 10_000)
    assert long_line.truncated and all(len(t) <= MAX_LINE_CHARS + 1 for _, t in long_line.lines)


def test_totals_sum_each_file_once_in_the_order_first_touched() -> None:
    a1 = build_diff("1", "a", "", "x\ny\n", created=True)
    b = build_diff("2", "b", "x\n", "y\n")
    a2 = build_diff("3", "a", "x\n", "z\n")
    assert [(t.path, t.added, t.removed, t.call_id, t.created) for t in totals([a1, b, a2])] == [
        ("a", 3, 1, "3", True), ("b", 1, 1, "2", False),
    ]  # fmt: skip


def test_the_inline_block_is_collapsed_and_links_to_the_full_diff() -> None:
    diff = build_diff("call-1", "a.txt", "", "".join(f"line {n}\n" for n in range(30)), created=True)
    block = inline_diff(diff, LIGHT)
    assert block.count("<br>") == 1 + 1 + INLINE_LINES  # the head, the lines, the link
    assert 'href="tool:call-1"' in block and "Show all (23 more lines)" in block
    full = full_diff(diff, DARK)
    assert "line 29" in full and "line 0" in full


def test_the_summary_names_each_file_with_its_counts_and_link() -> None:
    summary = changes_summary(totals([build_diff("c1", "a<b>.py", "x\n", "y\nz\n")]), LIGHT)
    assert "a&lt;b&gt;.py" in summary and 'href="tool:c1"' in summary
    assert "+2" in summary and "−1" in summary and "Changes" in summary
    assert changes_summary([], LIGHT) == ""


PIECES = ["<", ">", "&", '"', "'", "\n", "\r\n", "\r", "\x00", "a", " ", "<script>", "javascript:", "\t"]
HOSTILE = st.lists(st.sampled_from(PIECES) | st.characters(), max_size=120).map("".join)


@settings(max_examples=150, deadline=None)
@given(old=HOSTILE, new=HOSTILE, path=HOSTILE, call_id=HOSTILE)
def test_hostile_input_never_becomes_markup(old: str, new: str, path: str, call_id: str) -> None:
    diff = build_diff(call_id, path, old, new)
    assert diff.added <= len(new.splitlines()) and diff.removed <= len(old.splitlines())
    for theme in (LIGHT, DARK):
        for fragment in (
            inline_diff(diff, theme),
            full_diff(diff, theme),
            changes_summary(totals([diff]), theme),
        ):
            cleaned = sanitize.for_view(fragment)
            assert "<script" not in cleaned.lower()
            tags = set(re.findall(r"<\s*([a-zA-Z]+)", cleaned))
            assert tags <= {"span", "code", "br", "a", "p", "b"}
            assert all(h.startswith("tool:") for h in re.findall(r'href="([^"]*)"', cleaned))


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.text(st.characters(blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=20),
        max_size=40,
    )
)
def test_a_create_adds_every_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    diff = build_diff("c", "f", "", text, created=True)
    if "\x00" in text:
        assert diff.binary
    else:
        assert diff.added == len(text.splitlines()) and diff.removed == 0
