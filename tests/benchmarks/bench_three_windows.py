"""Three windows streaming at once through the real CLI, at the CLI's top speed.

The scripted model server sends each window's reply as fast as it can (no delay between chunks);
the real Copilot CLI relays them through the real SDK into three real chat windows of one app. A
5 ms timer on the event loop records every gap: the largest one is the longest the UI froze.
Prints figures and, last, a JSON line; asserts nothing (shared machines are noisy).
"""

from __future__ import annotations

import asyncio
import faulthandler
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.app import DesktopApp, event_loop_runner
from desktop_app.cli.command_line import build_parser
from desktop_app.core.platform import start_up_gc
from desktop_app.ui.window.chat_window import ChatWindow
from tests.model_server import MODEL

CHUNKS = 4000  # per window: ~30 KB of text each


class StallMeter:
    """The gaps between ticks of a 5 ms timer: any gap beyond that is time the loop was busy."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        if os.environ.get("BENCH_STALL_TRACE"):
            faulthandler.cancel_dump_traceback_later()  # where a stall over 0.3 s happens, printed
            faulthandler.dump_traceback_later(float(os.environ.get("BENCH_STALL_TRACE_S", "0.3")))
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()


async def wait_for(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.05)


async def turn(windows: list[ChatWindow], prompts: list[str]) -> None:
    """Send one prompt per window at once and wait for every reply to finish."""
    finished = [0]

    def done() -> None:
        finished[0] += 1

    for window, prompt in zip(windows, prompts, strict=True):
        window.controller.reply_finished.connect(done)
        assert window.controller.send(prompt), "the window would not send"
    try:
        await wait_for(lambda: finished[0] == len(windows), 300)
    finally:
        for window in windows:
            window.controller.reply_finished.disconnect(done)


def start_model_server() -> tuple[subprocess.Popen[str], str]:
    """The scripted model in a process of its own, as a real endpoint is: in a thread of this one,
    sending at top speed, it held this process's GIL for a third of the run."""
    root = Path(__file__).resolve().parents[2]
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.model_server"], cwd=root, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


async def measure(app: QApplication) -> dict[str, float]:
    server, base_url = start_model_server()
    with tempfile.TemporaryDirectory() as data_dir:
        args = build_parser().parse_args(
            ["--data-dir", data_dir, "--provider-url", base_url, "--model", MODEL]
        )
        args.log_console = False
        desktop = DesktopApp(app, args)
        windows = [desktop.open_window() for _ in range(3)]
        try:
            await wait_for(lambda: all(w.controller.phase.value == "ready" for w in windows), 120)
            start_up_gc.freeze_start_up()  # as the app does 1.5 s after its first window shows
            # One warm-up turn each (the CLI's first request in a session is slower).
            await turn(windows, ["hello"] * 3)
            meter = StallMeter()
            meter.start()
            start = time.perf_counter()
            await turn(windows, [f"STREAM {CHUNKS} TAG={tag}" for tag in ("a", "b", "c")])
            elapsed = time.perf_counter() - start
            meter.timer.stop()
            for tag, window in zip(("a", "b", "c"), windows, strict=True):
                text = window.view.toPlainText()
                assert f"{tag}{CHUNKS - 1}" in text, f"window {tag} did not get its whole reply"
        finally:
            for window in windows:
                window.close()
            await desktop.shutdown()
            server.communicate(timeout=10)  # its standard input closes: it stops
    gaps = sorted(meter.gaps)
    chunks_per_s = 3 * CHUNKS / elapsed
    print(
        f"3 windows x {CHUNKS} chunks through the real CLI in {elapsed:.1f} s ({chunks_per_s:.0f} chunks/s)"
    )
    print(
        f"event-loop gaps: median {statistics.median(gaps):.1f} ms, p99 {gaps[int(len(gaps) * 0.99)]:.1f} ms,"
        f" max {gaps[-1]:.1f} ms"
    )
    return {
        "three_windows_max_stall_ms": round(gaps[-1], 1),
        "three_windows_p99_gap_ms": round(gaps[int(len(gaps) * 0.99)], 1),
        "three_windows_chunks_per_s": round(chunks_per_s),
    }


def main() -> int:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with event_loop_runner() as runner:
        figures = runner.run(measure(app))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
