"""Streaming render cost: the chat view's incremental render vs re-rendering the whole reply.

Prints figures; asserts nothing (timings on shared machines are noisy: read the ratios).
Run: ``make bench`` or ``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_streaming_render.py``.
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

from PySide6.QtWidgets import QApplication, QTextBrowser

from desktop_app.core.rendering.markdown_render import MarkdownRenderer, prewarm_lexers
from desktop_app.ui.conversation.chat_view import ChatView

DELTA = 4  # characters per delta, about one token
DELTAS_PER_RENDER = 33  # one render per 33 ms at 1,000 tokens/s


def make_reply(target_bytes: int) -> str:
    parts: list[str] = []
    i = 0
    while sum(map(len, parts)) < target_bytes:
        i += 1
        parts.append(
            f"## Step {i}\n\nThis step explains **part {i}** with `inline code` and a list:\n\n"
            f"- first point of {i}\n- second point of {i}\n\n"
            f"```python\ndef step_{i}(x: int) -> int:\n    return x * {i}\n```\n\n"
            f"| key | value |\n|---|---|\n| {i} | {i * i} |\n\n"
        )
    return "".join(parts)


def make_code_reply(target_bytes: int) -> str:
    """One long code block, as a reply writing a whole file is (it stays open until its end)."""
    lines = "".join(f"def step_{i}(x: int) -> int:\n    return x * {i}  # step {i}\n\n" for i in range(4000))
    return "Here is the file:\n\n```python\n" + lines[:target_bytes] + "```\n"


def bench_incremental(app: QApplication, reply: str) -> list[tuple[int, float]]:
    view = ChatView()
    view.resize(900, 700)
    view.show()
    view.begin_assistant()
    samples: list[tuple[int, float]] = []
    for n, start in enumerate(range(0, len(reply), DELTA)):
        view.append_delta(reply[start : start + DELTA])
        if n % DELTAS_PER_RENDER == 0:
            t0 = time.perf_counter()
            view._render_tick()
            app.processEvents()
            samples.append((start, time.perf_counter() - t0))
    view.finish_assistant()
    view.close()
    return samples


def bench_full(app: QApplication, reply: str) -> list[tuple[int, float]]:
    view = QTextBrowser()
    view.resize(900, 700)
    view.show()
    renderer = MarkdownRenderer()
    samples: list[tuple[int, float]] = []
    for n, start in enumerate(range(0, len(reply), DELTA)):
        if n % DELTAS_PER_RENDER == 0:
            t0 = time.perf_counter()
            view.setHtml(renderer.render_streaming(reply[: start + DELTA]))
            bar = view.verticalScrollBar()
            bar.setValue(bar.maximum())
            app.processEvents()
            samples.append((start, time.perf_counter() - t0))
    view.close()
    return samples


def summarize(samples: list[tuple[int, float]], lo: int, hi: int) -> tuple[float, float]:
    times = sorted(t for pos, t in samples if lo <= pos < hi)
    if not times:
        return float("nan"), float("nan")
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times) * 1000, p95 * 1000


def main() -> int:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    prewarm_lexers()
    reply = make_reply(int(os.environ.get("BENCH_REPLY_BYTES", "60000")))
    print(
        f"reply: {len(reply) / 1000:.1f} KB, {len(reply) // DELTA} deltas, one render per {DELTAS_PER_RENDER}"
    )
    incremental = bench_incremental(app, reply)
    full = bench_full(app, reply)
    buckets = [(0, 5_000), (5_000, 20_000), (20_000, 40_000), (40_000, len(reply) + 1)]
    header = f"{'reply so far':>16} | {'incremental med/p95 ms':>24} | {'full re-render med/p95 ms':>26}"
    print(header + " | ratio (med)")
    for lo, hi in buckets:
        i_med, i_p95 = summarize(incremental, lo, hi)
        f_med, f_p95 = summarize(full, lo, hi)
        print(
            f"{lo // 1000:>6}-{hi // 1000:<5} KB | {i_med:>11.2f} / {i_p95:<10.2f} | "
            f"{f_med:>12.2f} / {f_p95:<11.2f} | {f_med / i_med:>5.1f}x"
        )
    i_total = sum(t for _, t in incremental)
    f_total = sum(t for _, t in full)
    print(f"total render time: incremental {i_total:.2f} s, full {f_total:.2f} s ({f_total / i_total:.1f}x)")
    code = bench_incremental(app, make_code_reply(30_000))
    c_start, c_end = summarize(code, 0, 2_000), summarize(code, 25_000, 30_000)
    print(
        f"one 30 KB code block streaming: tick med/p95 {c_start[0]:.2f} / {c_start[1]:.2f} ms in its first "
        f"2 KB, {c_end[0]:.2f} / {c_end[1]:.2f} ms at 25-30 KB"
    )
    print(
        json.dumps(
            {
                "open_code_tick_p95_ms_at_30kb": round(c_end[1], 2),
                "open_code_tick_p95_ms_at_2kb": round(c_start[1], 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
