"""The Markdown export: headings, reasoning, notices, and each tool call where it happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

import pytest

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange.export_text import code_span, fenced
from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.markdown_format import (
    export_markdown,
    message_markdown,
    tool_call_markdown,
)
from desktop_app.core.storage.models import Message, Role, SavedToolCall
from tests.unit.storage.exchange.samples import TRACEBACK, populate


def test_markdown_export(make_store: Callable[[str], ConversationStore]) -> None:
    store = make_store("a")
    ids = populate(store)
    text = export_markdown(load_conversations(store, [ids["plain"], ids["pinned"], ids["cut"]]), tz=UTC)
    assert text.startswith("# Pinned 📌\n")
    assert "\n# Plain\n" in text and "\n# zebra crossing\n" in text  # the last one named by its prompt
    assert "### You · 2024-05-01" in text and "### Copilot (gpt-x) · 2024-05-01" in text
    reasoning = "The user greets me.\nI should answer politely."
    assert f"<details><summary>Reasoning</summary>\n\n{reasoning}\n\n</details>" in text
    assert "```python\nprint('hi')\n```" in text
    assert "> Stopped.\n> Second line" in text and "### Notice · " in text and "(aborted)" in text
    assert "(interrupted)" in text and "> Error: CLI died" in text
    assert text.count("\n---\n") == 2


def test_markdown_shows_each_tool_call_where_it_happened(
    make_store: Callable[[str], ConversationStore],
) -> None:
    store = make_store("a")
    ids = populate(store)
    text = export_markdown(load_conversations(store, [ids["plain"], ids["pinned"], ids["cut"]]), tz=UTC)
    echo = "> 🔧 **bash** — `echo hi` · done · exit 0 · 1.2 s\n>\n> Permission: Allowed once"
    edit = "> ↳ 🔧 **edit** · failed · exit 1 · 0.7 s\n>\n> Error: it broke badly"
    order = ["Here is code:", echo, "```python\nprint('hi')\n```", edit, "And a **bold** word."]
    assert [text.index(piece) for piece in order] == sorted(text.index(piece) for piece in order)
    details = text[text.index(echo) : text.index("```python")]
    assert '**Arguments**\n\n```json\n{\n  "command": "echo hi"\n}\n```' in details
    assert "**Permission request**\n\n```\nRun a shell command\necho hi\n```" in details
    assert "**Output**\n\n```\nhi\n```" in details and "**Result**" not in details  # same as output
    assert f"`````\n{TRACEBACK}`````" in text  # a fence longer than any in the output
    assert "**Error**\n\n```\nit broke\nbadly\n```" in text
    assert "- `a.txt`\n- ``dir/b `x`.py``" in text
    loose = text.index("### Tool calls\n\n> 🔧 **fetch\\<script\\>")
    assert text.index("### Notice") < loose < text.index("# Plain")
    assert "partial\n\n> 🔧 **write** · pending\n\n> Error: CLI died" in text  # offset past the end


def message(content: str, role: Role = Role.ASSISTANT) -> Message:
    return Message("m", "c", 2, role, content, 1714550400.0, 1714550400.0)


def placed(offset: int, call_id: str = "x") -> SavedToolCall:
    return SavedToolCall(ToolCall(call_id, call_id, status=ToolStatus.DONE, started_at=1.0), "m", offset)


@pytest.mark.parametrize(
    ("content", "offsets", "expected"),
    [
        ("one two", [0], ["TOOL x", "one two"]),
        ("one\n\ntwo", [3, 3], ["one", "TOOL x", "TOOL y", "two"]),  # same place: start order
        ("one\n\ntwo", [5, 3], ["one", "TOOL y", "TOOL x", "two"]),
        ("a\n```\ncode\n```\nb", [4], ["a\n```\ncode\n```", "TOOL x", "b"]),  # not in a code block
        ("a\n~~~~\nopen block", [5], ["a\n~~~~\nopen block", "TOOL x"]),
        ("text", [10_000], ["text", "TOOL x"]),
    ],
)
def test_tool_calls_cut_the_text_at_their_offsets(
    content: str, offsets: list[int], expected: list[str]
) -> None:
    calls = [placed(o, call_id) for o, call_id in zip(offsets, "xyz", strict=False)]
    text = message_markdown(message(content), calls)
    parts = text.split("\n\n", 1)[1]
    for call_id in "xyz":
        parts = parts.replace(f"> 🔧 **{call_id}** · done", f"TOOL {call_id}")
    assert parts.split("\n\n") == expected


def test_a_tool_call_block_shows_its_text_as_it_is() -> None:
    call = ToolCall(
        "c", "my_tool*", command="echo `date` && cat <x>", status=ToolStatus.RUNNING, started_at=1.0
    )
    block = tool_call_markdown(call)
    assert block == "> 🔧 **my\\_tool\\*** — ``echo `date` && cat <x>`` · running"  # nothing to unfold
    long = tool_call_markdown(ToolCall("c", "bash", command="x" * 500 + "\nsecond line", started_at=1.0))
    assert "x" * 118 + "…`" in long and "second line" not in long.split("\n")[0]
    assert (
        fenced("a ```` b") == "`````\na ```` b\n`````" and fenced("plain\n", "json") == "```json\nplain\n```"
    )
    assert code_span("`x`") == "`` `x` ``" and code_span("x") == "`x`"
