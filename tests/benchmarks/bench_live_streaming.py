"""A reply streaming in real time into the chat view, on the app's qasync loop.

Deltas are emitted on a schedule (1,000 and 2,000 per second) as the SDK would deliver them; the
script measures each render's cost by reply size, the delay from a delta's arrival to the paint that
shows it, the longest event-loop stall and the CPU used, and the CPU of a whole 10 KB reply against a
100 KB one at the same rate (linear would be 10x). Prints figures and, last, a JSON line.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.app import event_loop_runner
from desktop_app.core.rendering.markdown_render import prewarm_lexers
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.view.streaming_reply import StreamingReply
from tests.benchmarks.bench_streaming_render import DELTA, make_reply


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else float("nan")


class TimedView(ChatView):
    """The real view, with each streaming render timed and tagged with the reply size."""

    def __init__(self) -> None:
        super().__init__()
        self.render_costs: list[tuple[int, float]] = []
        self.rendered_chars = 0


_render_tick = StreamingReply.render_tick


def timed_render_tick(reply: StreamingReply) -> None:
    """The reply's own timer calls this (bound when the reply is made): the render, the view's
    relayout it triggers, timed for the view that owns the reply."""
    start = time.perf_counter()
    _render_tick(reply)
    view = reply.parent()
    if isinstance(view, TimedView):
        view.render_costs.append((len(view.streamed_text), time.perf_counter() - start))
        view.rendered_chars = len(view.streamed_text)


StreamingReply.render_tick = timed_render_tick  # type: ignore[method-assign]


class PaintWatcher(QObject):
    def __init__(self, view: TimedView, arrivals: list[tuple[int, float]]) -> None:
        super().__init__()
        self.view = view
        self.arrivals = arrivals  # (chars after this delta, arrival time)
        self.next = 0
        self.latencies: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            now = time.perf_counter()
            upto = self.view.rendered_chars
            while self.next < len(self.arrivals) and self.arrivals[self.next][0] <= upto:
                self.latencies.append(now - self.arrivals[self.next][1])
                self.next += 1
        return False


async def stream(reply: str, rate: float) -> dict[str, float]:
    view = TimedView()
    view.resize(900, 700)
    view.show()
    await asyncio.sleep(0.2)
    arrivals: list[tuple[int, float]] = []
    watcher = PaintWatcher(view, arrivals)
    view.viewport().installEventFilter(watcher)
    gaps: list[float] = []
    last_beat = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last_beat[0])
        last_beat[0] = now

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(beat)
    heartbeat.start(5)
    view.begin_assistant()
    pieces = [reply[i : i + DELTA] for i in range(0, len(reply), DELTA)]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    sent = 0
    for index, piece in enumerate(pieces):
        due = wall0 + index / rate
        delay = due - time.perf_counter()
        if delay > 0.001:
            await asyncio.sleep(delay)
        sent += len(piece)
        view.append_delta(piece)
        arrivals.append((sent, time.perf_counter()))
        if index % 20 == 0 and delay <= 0.001:
            await asyncio.sleep(0)  # a real transport yields to the loop between reads
    while watcher.next < len(arrivals) and time.perf_counter() - wall0 < len(pieces) / rate + 5:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0
    heartbeat.stop()
    view.finish_assistant()
    view.close()
    small = [c * 1000 for size, c in view.render_costs if size <= 2_000]
    large = [c * 1000 for size, c in view.render_costs if size >= 90_000]
    return {
        "renders": len(view.render_costs),
        "update_ms_p95_at_1kb": p95(small),
        "update_ms_p95_at_100kb": p95(large),
        "update_ms_median": statistics.median(c * 1000 for _, c in view.render_costs),
        "latency_ms_median": statistics.median(watcher.latencies) * 1000,
        "latency_ms_p95": p95(watcher.latencies) * 1000,
        "max_stall_ms": max(0.0, (max(gaps) - 0.005) * 1000) if gaps else float("nan"),
        "cpu_pct": 100 * cpu / wall,
        "cpu_s": cpu,
        "seconds": wall,
    }


def naive_p95_ms(reply: str, at: int, repeats: int = 8) -> float:
    """Re-rendering the whole reply (markdown + setHtml + layout) at a given size, for the ratio."""
    from PySide6.QtWidgets import QTextBrowser

    from desktop_app.core.rendering.markdown_render import MarkdownRenderer

    view = QTextBrowser()
    view.resize(900, 700)
    view.show()
    renderer = MarkdownRenderer()
    costs = []
    for _ in range(repeats):
        start = time.perf_counter()
        view.setHtml(renderer.render_streaming(reply[:at]))
        view.document().size()
        QApplication.processEvents()
        costs.append((time.perf_counter() - start) * 1000)
    view.close()
    return p95(costs)


async def amain() -> int:
    prewarm_lexers()
    reply = make_reply(100_000)
    print(f"reply: {len(reply) / 1000:.0f} KB in {len(reply) // DELTA} deltas of {DELTA} chars")
    at_1000 = await stream(reply, 1000)
    at_2000 = await stream(reply, 2000)
    small = await stream(make_reply(10_000), 1000)  # the same rate: CPU should grow with the size only
    cpu_ratio = at_1000["cpu_s"] / small["cpu_s"]
    naive = naive_p95_ms(reply, 100_000)
    for name, figures in (("1,000 deltas/s", at_1000), ("2,000 deltas/s", at_2000)):
        print(
            f"{name}: {figures['renders']} renders, update p95 {figures['update_ms_p95_at_1kb']:.1f} ms at "
            f"1 KB / {figures['update_ms_p95_at_100kb']:.1f} ms at 100 KB, latency median "
            f"{figures['latency_ms_median']:.0f} / p95 {figures['latency_ms_p95']:.0f} ms, max stall "
            f"{figures['max_stall_ms']:.0f} ms, CPU {figures['cpu_pct']:.0f}% over {figures['seconds']:.1f} s"
        )
    print(f"re-rendering the whole 100 KB reply: p95 {naive:.0f} ms per update")
    print(
        f"CPU for the whole reply at 1,000 deltas/s: {small['cpu_s']:.2f} s at 10 KB, "
        f"{at_1000['cpu_s']:.2f} s at 100 KB ({cpu_ratio:.1f}x; linear would be 10x)"
    )
    result = {
        "update_ms_p95_at_1kb": round(at_1000["update_ms_p95_at_1kb"], 2),
        "update_ms_p95_at_100kb": round(at_1000["update_ms_p95_at_100kb"], 2),
        "naive_update_ms_p95_at_100kb": round(naive, 1),
        "latency_ms_p95": round(at_1000["latency_ms_p95"], 1),
        "max_stall_ms": round(at_2000["max_stall_ms"], 1),
        "main_thread_cpu_pct_at_1000_tps": round(at_1000["cpu_pct"], 1),
        "cpu_s_10kb_reply": round(small["cpu_s"], 2),
        "cpu_s_100kb_reply": round(at_1000["cpu_s"], 2),
        "cpu_ratio_100kb_vs_10kb_reply": round(cpu_ratio, 1),
    }
    print(json.dumps(result))
    return 0


def main() -> int:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with event_loop_runner() as runner:
        return runner.run(amain())


if __name__ == "__main__":
    sys.exit(main())
