"""``make bench``: every benchmark, then one JSON object with the headline figures as the last line.

Each script prints its own figures (and its JSON line); this adds start-up time and idle memory of
the real app, measured from a child process. Nothing here asserts: read ratios from one run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [
    "bench_big_conversation.py",
    "bench_hostile_markdown.py",
    "bench_live_streaming.py",
    "bench_open_conversation.py",
    "bench_streaming_render.py",
    "bench_three_windows.py",
]
STARTUP_RE = re.compile(r"startup: window shown (\d+) ms after process start, RSS ([\d.]+) MB")


def run_script(name: str, env: dict[str, str]) -> dict[str, float]:
    print(f"\n== {name}", flush=True)
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "benchmarks" / name)], env=env, capture_output=True, text=True
    )
    print(result.stdout, end="")
    if result.returncode != 0:
        print(result.stderr[-2000:])
        return {}
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    return json.loads(last) if last.startswith("{") else {}


def startup(env: dict[str, str], runs: int = 5) -> dict[str, float]:
    """Launch the real app (demo model, throw-away data dir) and read its start-up log line."""
    print("\n== start-up of the real app", flush=True)
    times, rss = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as data_dir:
            child = subprocess.Popen(
                [sys.executable, "-m", "desktop_app", "--demo", "--data-dir", data_dir],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            log = Path(data_dir) / "logs" / "copilot-desktop.log"
            deadline = time.monotonic() + 30
            match = None
            while match is None and time.monotonic() < deadline:
                time.sleep(0.1)
                match = STARTUP_RE.search(log.read_text()) if log.exists() else None
            child.terminate()
            child.wait(timeout=30)
        if match:
            times.append(float(match.group(1)))
            rss.append(float(match.group(2)))
    if not times:
        print("the app did not report its start-up")
        return {}
    median = sorted(times)[len(times) // 2]
    print(f"window shown after {median:.0f} ms (median of {len(times)}), RSS {max(rss):.0f} MB")
    return {"startup_to_window_ms": median, "rss_mb_idle_window": max(rss)}


def main() -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    figures: dict[str, float] = {}
    for name in SCRIPTS:
        figures.update(run_script(name, env))
    figures.update(startup(env))
    print("\n" + json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
