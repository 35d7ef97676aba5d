"""The ``--demo`` model: the real CLI and SDK, answered by a scripted model inside this process.

The SDK's ``request_handler`` hands every model HTTP request to Python, so someone with no account
and no endpoint can try every part of the window. Replies are clearly scripted.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Any

from desktop_app.core.copilot.byok import openai_sse
from desktop_app.core.vocabulary.targets import DEMO_MODEL

DEMO_BASE_URL = "http://127.0.0.1:9/v1"  # never contacted: the request handler answers first

WELCOME = """\
**This is the scripted demo model**, not GitHub Copilot: nothing you type leaves your machine.

It shows what the window can do:

- replies stream in as formatted *markdown*
- code blocks are highlighted
- the status bar counts tokens, speed and time to first token

```python
def greet(name: str) -> str:
    \"\"\"Say hello.\"\"\"
    return f"Hello, {name}!"
```

| Feature | Where |
|---|---|
| Markdown | this view |
| Metrics | status bar |

Try asking for **code**, a **table**, a **long** answer, or type anything else.
"""

CODE = """\
Here is a small, complete example in Python:

```python
import asyncio


async def countdown(n: int) -> None:
    while n > 0:
        print(n)
        await asyncio.sleep(1)
        n -= 1
    print("Lift-off!")


asyncio.run(countdown(3))
```

And the same idea in JavaScript:

```javascript
async function countdown(n) {
  for (; n > 0; n--) {
    console.log(n);
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log("Lift-off!");
}
```
"""

TABLE = """\
### Comparison

| Client | Streams | Saves history | Tool panel |
|---|:---:|:---:|:---:|
| Copilot Desktop | yes | yes | yes |
| A terminal | yes | no | no |

> Tables, quotes and `inline code` all render in the chat view.
"""


def _long_reply() -> str:
    parts = ["## A long answer\n"]
    for i in range(1, 13):
        parts.append(
            f"### Part {i}\n\nThis paragraph is number {i}. It is here so you can watch a long reply "
            "stream smoothly while the window stays responsive: scroll, resize or press Esc to stop.\n"
        )
        if i % 4 == 0:
            parts.append(f"```python\nfor step in range({i}):\n    print('step', step)\n```\n")
    return "\n".join(parts)


def reply_for(prompt: str) -> str:
    """The scripted answer for a prompt."""
    lowered = prompt.lower()
    if re.search(r"\bcode\b|python|function|script", lowered):
        return CODE
    if "table" in lowered:
        return TABLE
    if "long" in lowered:
        return _long_reply()
    if len(prompt) > 2000:
        return (
            f"You pasted **{len(prompt):,} characters**. The scripted demo model does not read them, "
            "but a real model would get all of it."
        )
    return WELCOME


def _tokens(text: str) -> list[str]:
    """Split into word-ish pieces so the demo streams like a real model."""
    return re.findall(r"\s*\S+|\s+", text)


async def stream_reply(text: str, delay: float = 0.012) -> AsyncIterator[bytes]:
    model = DEMO_MODEL
    yield openai_sse.role_chunk(model)
    pieces = _tokens(text)
    for piece in pieces:
        await asyncio.sleep(delay)
        yield openai_sse.text_chunk(model, piece)
    yield openai_sse.finish_chunk(model)
    yield openai_sse.usage_chunk(model, 100, len(pieces))
    yield openai_sse.DONE


def make_request_handler(delay: float = 0.012) -> Any:
    """A ``CopilotRequestHandler`` (imported lazily: ``import copilot`` costs ~0.85 s)."""
    import httpx
    from copilot import CopilotRequestHandler

    class DemoRequestHandler(CopilotRequestHandler):  # type: ignore[misc]
        async def send_request(self, request: httpx.Request, ctx: Any) -> httpx.Response:
            try:
                body = json.loads(await request.aread() or b"{}")
            except ValueError:
                body = {}
            prompt = openai_sse.last_user_text(body)
            return httpx.Response(
                200,
                headers={"content-type": "text/event-stream"},
                content=stream_reply(reply_for(prompt), delay),
            )

    return DemoRequestHandler()
