"""The --demo scripted model: which reply a prompt gets, and the SSE stream it sends."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from desktop_app.core.copilot.byok import demo_model
from desktop_app.core.copilot.byok.demo_model import CODE, TABLE, WELCOME, reply_for, stream_reply
from desktop_app.core.vocabulary.targets import DEMO_MODEL


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Show me some code", CODE),
        ("CODE please", CODE),
        ("write python", CODE),
        ("a function that adds", CODE),
        ("a shell script", CODE),
        ("make a table", TABLE),
        ("Give me a TABLE of fruit", TABLE),
        ("hello", WELCOME),
        ("", WELCOME),
        ("codes and decoder", WELCOME),  # 'code' only as a whole word
        ("a python table", CODE),  # code wins over table
        ("a long table", TABLE),  # table wins over long
    ],
)
def test_reply_for_routing(prompt: str, expected: str) -> None:
    assert reply_for(prompt) == expected


def test_long_reply() -> None:
    reply = reply_for("something long please")
    assert reply.startswith("## A long answer\n")
    assert reply.count("### Part ") == 12
    assert reply.count("```python") == 3
    assert len(reply) > 2000


def test_pasted_text_is_acknowledged() -> None:
    prompt = "x" * 2500
    reply = reply_for(prompt)
    assert "2,500 characters" in reply
    assert reply_for("y" * 2000) == WELCOME  # the limit is strictly more than 2000


def parse_sse(chunks: list[bytes]) -> list[Any]:
    """Every ``data:`` payload, JSON-decoded (``[DONE]`` kept as the string)."""
    payloads: list[Any] = []
    for chunk in chunks:
        assert chunk.endswith(b"\n\n"), chunk
        for line in chunk.decode("utf-8").strip("\n").split("\n"):
            assert line.startswith("data: "), line
            data = line[len("data: ") :]
            payloads.append(data if data == "[DONE]" else json.loads(data))
    return payloads


async def collect(text: str) -> list[bytes]:
    return [chunk async for chunk in stream_reply(text, delay=0)]


async def collect_with_delay(text: str, delay: float) -> list[bytes]:
    return [chunk async for chunk in stream_reply(text, delay=delay)]


@pytest.mark.parametrize("text", [WELCOME, CODE, "one", "  leading and trailing  \n\n", ""])
def test_stream_reply_is_valid_sse_ending_in_done(text: str) -> None:
    chunks = asyncio.run(collect(text))
    assert chunks[-1] == b"data: [DONE]\n\n"
    payloads = parse_sse(chunks)
    assert payloads[-1] == "[DONE]"
    assert payloads.count("[DONE]") == 1
    objects = payloads[:-1]
    assert all(p["object"] == "chat.completion.chunk" for p in objects)
    assert all(p["model"] == DEMO_MODEL for p in objects)

    first, *middle, finish, usage = objects
    assert first["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert finish["choices"][0]["finish_reason"] == "stop"
    assert finish["choices"][0]["delta"] == {}
    assert usage["choices"] == []
    assert all(p["choices"][0]["finish_reason"] is None for p in middle)

    streamed = "".join(p["choices"][0]["delta"]["content"] for p in middle)
    assert streamed == text  # nothing lost or added by the word-ish split
    assert usage["usage"]["completion_tokens"] == len(middle)
    assert usage["usage"]["prompt_tokens"] == 100
    assert usage["usage"]["total_tokens"] == 100 + len(middle)


def test_stream_reply_streams_word_by_word() -> None:
    payloads = parse_sse(asyncio.run(collect("alpha beta\ngamma")))
    pieces = [p["choices"][0]["delta"]["content"] for p in payloads[1:-3]]
    assert pieces == ["alpha", " beta", "\ngamma"]


def test_stream_reply_sleeps_between_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    delays: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        delays.append(seconds)

    monkeypatch.setattr(demo_model.asyncio, "sleep", fake_sleep)
    asyncio.run(collect_with_delay("a b c", 0.5))
    assert delays == [0.5, 0.5, 0.5]
