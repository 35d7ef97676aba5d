"""OpenAI chat-completions SSE chunks, as the Copilot CLI expects them from a BYOK endpoint.

Used by the ``--demo`` scripted model and by the tests' scripted model server, so both speak exactly
what a real OpenAI-compatible endpoint sends.
"""

from __future__ import annotations

import json
import time
from typing import Any


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> bytes:
    payload = {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


def role_chunk(model: str) -> bytes:
    return _chunk(model, {"role": "assistant", "content": ""})


def text_chunk(model: str, text: str) -> bytes:
    return _chunk(model, {"content": text})


def reasoning_chunk(model: str, text: str) -> bytes:
    return _chunk(model, {"reasoning_content": text})


def tool_call_chunks(model: str, call_id: str, name: str, arguments: str) -> list[bytes]:
    """A streamed tool call: id and name first, then the arguments in two pieces."""
    half = len(arguments) // 2
    first = {
        "index": 0,
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": ""},
    }
    return [
        _chunk(model, {"tool_calls": [first]}),
        _chunk(model, {"tool_calls": [{"index": 0, "function": {"arguments": arguments[:half]}}]}),
        _chunk(model, {"tool_calls": [{"index": 0, "function": {"arguments": arguments[half:]}}]}),
    ]


def finish_chunk(model: str, reason: str = "stop") -> bytes:
    return _chunk(model, {}, reason)


def usage_chunk(model: str, prompt_tokens: int, completion_tokens: int) -> bytes:
    payload = {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


DONE = b"data: [DONE]\n\n"


def last_user_text(body: dict[str, Any]) -> str:
    """The newest user message of a chat-completions request, without the CLI's datetime prefix."""
    for message in reversed(body.get("messages", [])):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, list):
            content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
        text = str(content or "")
        if text.startswith("<current_datetime>"):
            end = text.find("</current_datetime>")
            if end >= 0:
                text = text[end + len("</current_datetime>") :].lstrip("\n")
        return text
    return ""
