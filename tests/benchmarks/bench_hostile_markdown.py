"""Hostile markdown: how long one render of pathological nesting takes, and what late link
definitions cost while a reply streams (the renderer and the chat view).

Prints figures; asserts nothing. Run it on two checkouts to compare before and after:
``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_hostile_markdown.py``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop_app.core.rendering.block_splitter import BlockSplitter
from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.core.rendering.streaming.streamed_markdown import StreamedMarkdown

NESTING = {
    "'[' * 5000": "[" * 5000,
    "'[x][' * 3000": "[x][" * 3000,
    "'![' * 3000": "![" * 3000,
    "'[a](' * 2000": "[a](" * 2000,
    "'> ' * 500 + 'x'": "> " * 500 + "x",
    "'*' * 5000": "*" * 5000,
    "'**a ' * 1000": "**a " * 1000 + "b" + "**" * 1000,
    "list 200 deep": "\n".join("  " * i + "- x" for i in range(200)),
    "quotes 200 deep": "\n".join(">" * i + " x" for i in range(1, 200)),
}


def late_definitions(count: int) -> str:
    uses = "".join(f"Paragraph {i} cites [source {i}][r{i}].\n\n" for i in range(count))
    definitions = "".join(f"[r{i}]: https://example.com/{i}\n\n" for i in range(count))
    return uses + definitions + "The end.\n"


def stream_blocks(text: str, chunk: int = 64) -> float:
    """The renderer's side of a streaming reply: finished blocks and late definitions, in ms."""
    renderer = MarkdownRenderer()
    splitter = BlockSplitter()
    streamed = StreamedMarkdown(renderer.render)
    started = time.perf_counter()
    for start in range(0, len(text), chunk):
        splitter.append(text[start : start + chunk])
        streamed.add(splitter.take()[0])
    streamed.add(splitter.finish())
    return 1000 * (time.perf_counter() - started)


def stream_view(text: str, chunk: int = 64) -> float:
    """The same reply through the chat view (Qt's inserts included), one render per chunk, in ms."""
    from desktop_app.ui.conversation.chat_view import ChatView

    view = ChatView()
    started = time.perf_counter()
    view.begin_assistant()
    for start in range(0, len(text), chunk):
        view.append_delta(text[start : start + chunk])
        view._render_tick()
    view.finish_assistant()
    elapsed = 1000 * (time.perf_counter() - started)
    view.deleteLater()
    return elapsed


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    renderer = MarkdownRenderer()
    renderer.render("warm **up** [a](https://a.example)\n\n```python\nx = 1\n```")
    print("one render of pathological nesting")
    print(f"  {'input':22} {'bytes':>7} {'ms':>10}")
    for name, text in NESTING.items():
        started = time.perf_counter()
        renderer.render(text)
        print(f"  {name:22} {len(text):7d} {1000 * (time.perf_counter() - started):10.1f}", flush=True)
    print("late link definitions while streaming (64-char deltas)")
    print(f"  {'definitions':>11} {'KB':>6} {'blocks ms':>10} {'view ms':>10}")
    for count in (250, 500, 1000, 2000):
        text = late_definitions(count)
        blocks = stream_blocks(text)
        view = stream_view(text) if count <= 1000 else float("nan")  # the old view is minutes at 2,000
        print(f"  {count:11d} {len(text) / 1024:6.0f} {blocks:10.0f} {view:10.0f}", flush=True)
    del app


if __name__ == "__main__":
    main()
