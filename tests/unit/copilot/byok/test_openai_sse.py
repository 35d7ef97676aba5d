"""openai_sse: the newest user message, and the chunks the scripted models send."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktop_app.core.copilot.byok import openai_sse
from desktop_app.core.copilot.byok.openai_sse import last_user_text


def user(content: Any) -> dict[str, Any]:
    return {"role": "user", "content": content}


def test_strips_the_current_datetime_prefix() -> None:
    text = "<current_datetime>2025-01-01T10:00:00Z</current_datetime>\n\nWhat time is it?"
    assert last_user_text({"messages": [user(text)]}) == "What time is it?"


def test_prefix_without_closing_tag_is_kept() -> None:
    text = "<current_datetime>2025-01-01 and no end"
    assert last_user_text({"messages": [user(text)]}) == text


def test_datetime_tag_not_at_the_start_is_kept() -> None:
    text = "Hi <current_datetime>x</current_datetime> there"
    assert last_user_text({"messages": [user(text)]}) == text


def test_only_leading_newlines_after_the_prefix_are_removed() -> None:
    text = "<current_datetime>now</current_datetime>\n  indented prompt\n"
    assert last_user_text({"messages": [user(text)]}) == "  indented prompt\n"


def test_newest_user_message_wins() -> None:
    body = {
        "messages": [
            {"role": "system", "content": "be nice"},
            user("first"),
            {"role": "assistant", "content": "reply"},
            user("second"),
            {"role": "tool", "content": "tool output"},
        ]
    }
    assert last_user_text(body) == "second"


def test_content_parts_are_joined() -> None:
    parts = [
        {"type": "text", "text": "<current_datetime>t</current_datetime>\n"},
        {"type": "image_url", "image_url": {"url": "http://x"}},
        {"type": "text", "text": "describe this"},
        "not a dict",
    ]
    assert last_user_text({"messages": [user(parts)]}) == "describe this"


@pytest.mark.parametrize(
    "body",
    [{}, {"messages": []}, {"messages": [{"role": "system", "content": "x"}]}],
)
def test_no_user_message_gives_empty_text(body: dict[str, Any]) -> None:
    assert last_user_text(body) == ""


def test_none_content_gives_empty_text() -> None:
    assert last_user_text({"messages": [user(None)]}) == ""


def decode(chunk: bytes) -> dict[str, Any]:
    assert chunk.startswith(b"data: ") and chunk.endswith(b"\n\n")
    result: dict[str, Any] = json.loads(chunk[len(b"data: ") :])
    return result


def test_tool_call_chunks_split_the_arguments() -> None:
    arguments = '{"command": "ls -la"}'
    chunks = openai_sse.tool_call_chunks("m", "call_1", "bash", arguments)
    calls = [decode(c)["choices"][0]["delta"]["tool_calls"][0] for c in chunks]
    assert calls[0]["id"] == "call_1"
    assert calls[0]["function"]["name"] == "bash"
    assert "".join(c["function"]["arguments"] for c in calls) == arguments


def test_reasoning_and_usage_chunks() -> None:
    assert decode(openai_sse.reasoning_chunk("m", "hmm"))["choices"][0]["delta"] == {
        "reasoning_content": "hmm"
    }
    usage = decode(openai_sse.usage_chunk("m", 3, 4))
    assert usage["usage"] == {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}
    assert usage["choices"] == []
