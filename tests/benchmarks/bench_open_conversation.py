"""Opening a saved 1 MB conversation: newest messages first (what the app does) vs everything at once.

Prints figures and, last, one JSON line; asserts nothing (shared machines are noisy: read ratios).
"""

from __future__ import annotations

import json
import os
import resource
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


def open_time(app: QApplication, messages: list[Message], everything: bool) -> float:
    view = ChatView()
    view.resize(900, 700)
    view.show()
    app.processEvents()
    start = time.perf_counter()
    view.show_messages(messages)
    if everything:
        while view.older_count:
            view.load_older()
    view.repaint()
    app.processEvents()
    elapsed = time.perf_counter() - start
    view.close()
    view.deleteLater()
    app.processEvents()
    return elapsed * 1000


def scroll_up_steps(app: QApplication, messages: list[Message]) -> list[float]:
    """Main-thread cost of each older chunk rendered as the reader scrolls to the very top."""
    view = ChatView()
    view.resize(900, 700)
    view.show()
    view.show_messages(messages)
    steps: list[float] = []
    while view.older_count:
        app.processEvents()  # idle time between scroll steps: the next chunk's HTML is prepared
        start = time.perf_counter()
        view.load_older()
        view.repaint()
        steps.append((time.perf_counter() - start) * 1000)
    view.close()
    view.deleteLater()
    app.processEvents()
    return steps


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    prewarm_lexers()
    messages = conversation(1_000_000)
    size_kb = sum(len(m.content) for m in messages) / 1000
    print(f"conversation: {len(messages)} messages, {size_kb:.0f} KB of markdown")
    rss_before = rss_mb()
    lazy = [open_time(app, messages, everything=False) for _ in range(3)]
    rss_lazy = rss_mb()
    full = [open_time(app, messages, everything=True) for _ in range(2)]
    steps = sorted(scroll_up_steps(app, messages))
    lazy_ms, full_ms = statistics.median(lazy), statistics.median(full)
    print(f"open, newest first (the app): {lazy_ms:8.1f} ms median of {len(lazy)}")
    print(f"open, every message at once:  {full_ms:8.1f} ms median of {len(full)} ({full_ms / lazy_ms:.0f}x)")
    print(
        f"scrolling up to the top: {len(steps)} steps, median {statistics.median(steps):.1f} ms, "
        f"max {steps[-1]:.1f} ms"
    )
    print(f"RSS: {rss_before:.0f} MB before, {rss_lazy:.0f} MB after opening it newest-first")
    print(
        json.dumps(
            {
                "open_1mb_conversation_ms": round(lazy_ms, 1),
                "open_1mb_everything_ms": round(full_ms, 1),
                "rss_mb_1mb_conversation": round(rss_lazy, 1),
                "scroll_up_step_ms_median": round(statistics.median(steps), 1),
                "scroll_up_step_ms_max": round(steps[-1], 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
