"""A scripted OpenAI-compatible model server on 127.0.0.1 for end-to-end tests.

The real Copilot CLI calls ``POST /v1/chat/completions`` (always streamed); the newest user message
chooses the script:

- ``MARKDOWN``: a reply with a heading, list, table and a fenced Python block
- ``HOSTILE``: markdown written to become markup: attribute lists carrying HTML and handlers, raw
  tags, unparsable and dangerous URLs, and pathological nesting (brackets, quotes, lists, emphasis)
- ``REASON``: ``reasoning_content`` chunks, then text
- ``TOOL <name> <json>``: a streamed tool call (the follow-up request gets ``TOOL_RESULT: ...``);
  with ``PREAMBLE``, a sentence streams before the call, as models say what they are about to do
  (with ``SLOW`` as well, its three pieces 0.6 s apart: time to act while it streams);
  with ``CALLID=<id>``, the call has that id (as models that number their calls afresh in every reply)
- ``STREAM <n>``: n quick chunks ``w0 w1 ...``; ``SLOW <n>``: n chunks 60 ms apart; with ``TAG=x``
  the chunks are ``x0 x1 ...`` (to tell concurrent streams apart)
- ``PLANFLOW``: in the CLI's plan mode, writes the plan file its plan-mode notice names (``create``),
  revises it (``edit``), asks to leave plan mode (``exit_plan_mode``), then answers
  ``BUILDING: <what the CLI answered>`` (the CLI adds a user message once the plan is approved)
- ``CODEFILE <n>``: a reply that writes a Python module of n functions in one long code block, in
  pieces of 12 characters (with ``SLOW``, 60 ms apart)
- ``HANG``: starts a reply and never finishes it
- ``FAIL500``: HTTP 500
- ``NOUSAGE``: omit the trailing usage chunk
- ``ECHO_HISTORY``: answer with the user messages the model was sent
- ``SHORT``: answer with the length of the prompt the model received
- anything else: ``Hello from the scripted model. You said: <prompt>``
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from desktop_app.core.copilot.byok import openai_sse

MODEL = "scripted-model"

MARKDOWN_REPLY = """\
# Scripted heading

Some **bold** text and `inline code`.

- first item
- second item

| col a | col b |
|---|---|
| 1 | 2 |

```python
def answer() -> int:
    return 42
```

Done.
"""


HOSTILE_REPLY = (
    """\
# Hostile reply

```{#pwn .python onclick="alert(1)" style="background:url(file:///dev/zero)"}
print("attribute list on a fence")
```

```python {: data-x='<img src=/dev/zero onerror=alert(2)>' onmouseover="alert(2)" }
second = "fence"
```

See [the host](http://[placeholder-host]/path), [ipv6](http://[::1/x) and <http://[bad>.

[js](javascript:alert(3)) [data](data:text/html,<script>alert(3)</script>) [file](file:///etc/passwd)
![pic](file:///dev/zero) ![pic2](/dev/zero) [ref][bad]

[bad]: http://[unparsable

<img src="/dev/zero" onerror="alert(4)"><meta http-equiv="refresh" content="0;url=https://example.com/">
<script>alert(5)</script><iframe src="https://example.com/"></iframe>

A paragraph with attributes
{: onclick="alert(6)" style="background:url(/dev/zero)" }

"""
    + "[" * 3000
    + "x"
    + "]" * 3000
    + "\n\n"
    + "> " * 300
    + "deep quote\n\n"
    + "".join("  " * level + "- level\n" for level in range(150))
    + "\n"
    + "*" * 3000
    + "\n\nThe hostile reply ends here.\n"
)


PLAN_DRAFT = "# Plan\n\n1. Write `hello.txt`\n"
PLAN_REVISED = (
    "# Plan: a greeting file\n\nAdd `hello.txt` with a greeting, then report back.\n\n"
    "## Todos\n\n1. Write `hello.txt`\n2. Say **done**\n"
)


def _text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")


def plan_flow_step(messages: list[dict[str, Any]]) -> tuple[str, str] | None:
    """``PLANFLOW``'s next step, counted by the tool results since its prompt: (tool, JSON arguments),
    or ("text", the last tool result) once the three calls are answered; None for another prompt."""
    starts = [i for i, m in enumerate(messages) if m.get("role") == "user" and "PLANFLOW" in _text(m)]
    if not starts:
        return None
    done = [m for m in messages[starts[-1] :] if m.get("role") == "tool"]
    found = re.search(r"Save the plan to: (\S+plan\.md)", "\n".join(_text(m) for m in messages))
    path = found.group(1) if found else "plan.md"
    steps = [
        ("create", json.dumps({"path": path, "file_text": PLAN_DRAFT})),
        ("edit", json.dumps({"path": path, "old_str": PLAN_DRAFT, "new_str": PLAN_REVISED})),
        ("exit_plan_mode", json.dumps({"summary": "- write hello.txt\n- say done"})),
    ]
    if len(done) < len(steps):
        return steps[len(done)]
    return "text", _text(done[-1]).split("\n")[0]


class _Handler(BaseHTTPRequestHandler):
    server: ModelServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        pass

    def do_GET(self) -> None:
        self.server.record(self.path, dict(self.headers), {})
        if self.path.rstrip("/").endswith("/models"):
            body = json.dumps(
                {
                    "object": "list",
                    "data": [{"id": m, "object": "model"} for m in self.server.models],
                }
            ).encode()
            self._send_json(200, body)
        else:
            self._send_json(404, b'{"error": "not found"}')

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        self.server.record(self.path, dict(self.headers), body)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_json(404, b'{"error": "not found"}')
            return
        prompt = openai_sse.last_user_text(body)
        if "FAIL500" in prompt:
            self._send_json(500, b'{"error": {"message": "scripted failure"}}')
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("connection", "close")
        self.end_headers()
        try:
            for chunk in self.server.script(prompt, body):
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _send_json(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def code_file_reply(functions: int) -> str:
    """``CODEFILE``'s reply: a sentence, one long fenced Python block, a sentence."""
    body = "".join(
        f'def step_{i}(value: int) -> int:\n    """Step {i} of the pipeline."""\n'
        f"    return value * {i} + 1\n\n\n"
        for i in range(functions)
    )
    return f"Here is the module:\n\n```python\n{body.rstrip()}\n```\n\nEach step is pure."


class ModelServer(ThreadingHTTPServer):
    """Start with ``ModelServer.start()``; ``base_url`` is what a BYOK provider points at."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.models = [MODEL, "other-model"]
        self.chunk_delay = 0.0
        self.sent: list[tuple[float, str]] = []  # (monotonic time, text) of every text chunk sent
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._call_ids = itertools.count(1)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    @classmethod
    def start(cls) -> ModelServer:
        server = cls()
        server._thread = threading.Thread(target=server.serve_forever, daemon=True)
        server._thread.start()
        return server

    def stop(self) -> None:
        self._stop.set()
        self.shutdown()
        self.server_close()

    def record(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> None:
        with self._lock:
            self.requests.append({"path": path, "headers": headers, "body": body})

    def chat_requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if r["path"].endswith("/chat/completions")]

    def script(self, prompt: str, body: dict[str, Any]) -> Iterator[bytes]:
        model = str(body.get("model") or MODEL)
        yield openai_sse.role_chunk(model)
        messages = body.get("messages", [])
        last = messages[-1] if messages else {}
        pieces: list[str]
        if (step := plan_flow_step(messages)) is not None and step[0] != "text":
            yield from openai_sse.tool_call_chunks(model, f"call_{next(self._call_ids)}", *step)
            yield openai_sse.finish_chunk(model, "tool_calls")
            yield openai_sse.DONE
            return
        if step is not None:
            pieces = [f"BUILDING: {step[1]}"]
        elif last.get("role") == "tool":
            pieces = [f"TOOL_RESULT: {last.get('content', '')}"]
        elif match := re.search(r"TOOL (\S+) (\{.*\})", prompt):
            # Unique, as a real model's are, unless the prompt names one (CALLID=x): some models
            # number their calls afresh in every reply.
            named = re.search(r"CALLID=(\w+)", prompt)
            call_id = named.group(1) if named else f"call_{next(self._call_ids)}"
            if "PREAMBLE" in prompt:
                for piece in ("Let me ", "check that ", "with a tool."):
                    if "SLOW" in prompt:
                        time.sleep(0.6)
                    yield openai_sse.text_chunk(model, piece)
            yield from openai_sse.tool_call_chunks(model, call_id, match.group(1), match.group(2))
            yield openai_sse.finish_chunk(model, "tool_calls")
            yield openai_sse.DONE
            return
        elif "HANG" in prompt:
            yield openai_sse.text_chunk(model, "Starting to answer")
            while not self._stop.wait(0.1):
                pass
            return
        elif "MARKDOWN" in prompt:
            pieces = [MARKDOWN_REPLY[i : i + 7] for i in range(0, len(MARKDOWN_REPLY), 7)]
        elif "HOSTILE" in prompt:
            pieces = [HOSTILE_REPLY[i : i + 40] for i in range(0, len(HOSTILE_REPLY), 40)]
        elif match := re.search(r"CODEFILE (\d+)", prompt):
            pieces = re.findall(r"(?s).{1,12}", code_file_reply(int(match.group(1))))
        elif match := re.search(r"(STREAM|SLOW) (\d+)", prompt):
            tag = re.search(r"TAG=(\w+)", prompt)
            word = tag.group(1) if tag else "w"
            pieces = [f"{word}{i} " for i in range(int(match.group(2)))]
        elif prompt.startswith("SHORT"):
            pieces = [f"Received {len(prompt)} characters."]
        elif "ECHO_HISTORY" in prompt:
            users = [
                openai_sse.last_user_text({"messages": [m]}) for m in messages if m.get("role") == "user"
            ]
            pieces = ["History: " + " | ".join(users)]
        else:
            text = f"Hello from the scripted model. You said: {prompt}"
            pieces = re.findall(r"\s*\S+", text)
        if "REASON" in prompt:
            for part in ("Let me think", " about this", " carefully."):
                yield openai_sse.reasoning_chunk(model, part)
        delay = 0.06 if "SLOW" in prompt else self.chunk_delay
        for piece in pieces:
            if delay:
                time.sleep(delay)
            if self._stop.is_set():
                return
            with self._lock:
                self.sent.append((time.monotonic(), piece))
            yield openai_sse.text_chunk(model, piece)
        yield openai_sse.finish_chunk(model)
        if "NOUSAGE" not in prompt:
            yield openai_sse.usage_chunk(model, 50, len(pieces))
        yield openai_sse.DONE


def serve_until_stdin_closes() -> None:
    """``python -m tests.model_server``: the server in a process of its own, for benchmarks (in a
    thread of the measured app it would take the app's GIL at top speed, which no real model does).
    Prints its ``base_url`` on one line; stops when its standard input closes."""
    import sys

    server = ModelServer.start()
    print(server.base_url, flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    serve_until_stdin_closes()
