"""Opening a saved 1 MB conversation in the chat view (the virtualized view lays out only its end).

Prints figures and, last, one JSON line; asserts nothing (shared machines are noisy: read ratios).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication

from desktop_app.core.rendering.markdown_render import prewarm_lexers
from desktop_app.core.storage.models import Message, Role
from desktop_app.ui.conversation.chat_view import ChatView
from tests.benchmarks.bench_streaming_render import make_reply
from tests.benchmarks.big_conversation import rss_mb


def conversation(total_bytes: int) -> list[Message]:
    messages: list[Message] = []
    size = 0
    i = 0
    while size < total_bytes:
        i += 1
        reply = make_reply(8_000 + (i % 5) * 2_000)
        for role, body in ((Role.USER, f"Question {i}: how does step {i} work?"), (Role.ASSISTANT, reply)):
            messages.append(Message(f"m{len(messages)}", "c", len(messages) + 1, role, body, 0.0, 0.0))
            size += len(body)
    return messages


def open_time(app: QApplication, messages: list[Message]) -> tuple[float, float]:
    """Wall ms and CPU s to show the conversation at its end, painted."""
    view = ChatView()
    view.resize(900, 700)
    view.show()
    app.processEvents()
    cpu, start = time.process_time(), time.perf_counter()
    view.show_messages(messages)
    view.repaint()
    app.processEvents()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    view.close()
    view.deleteLater()
    app.processEvents()
    return elapsed * 1000, cpu


def main() -> int:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    prewarm_lexers()
    messages = conversation(1_000_000)
    size_kb = sum(len(m.content) for m in messages) / 1000
    print(f"conversation: {len(messages)} messages, {size_kb:.0f} KB of markdown")
    rss_before = rss_mb()
    runs = [open_time(app, messages) for _ in range(3)]
    rss_open = rss_mb()
    open_ms = statistics.median(ms for ms, _ in runs)
    open_cpu = statistics.median(cpu for _, cpu in runs)
    print(f"open, its end painted: {open_ms:8.1f} ms median of {len(runs)}, CPU {open_cpu:.2f} s")
    print(f"RSS: {rss_before:.0f} MB before, {rss_open:.0f} MB after opening it")
    print("(scrolling through it: bench_big_conversation.py)")
    print(
        json.dumps(
            {
                "open_1mb_conversation_ms": round(open_ms, 1),
                "open_1mb_conversation_cpu_s": round(open_cpu, 3),
                "rss_mb_1mb_conversation": round(rss_open, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
