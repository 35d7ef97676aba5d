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


def settle(quiet: float = 0.15, limit_s: float = 30.0) -> None:
    """Wait until the machine is quiet (under ``quiet`` of its CPUs busy over half a second, from
    /proc/stat), so one benchmark does not measure the last one's processes winding down (the CLI,
    the model server, the render process) or its writes reaching the disk."""
    deadline = time.monotonic() + limit_s

    def ticks() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + values[4]  # idle and iowait
        return sum(values) - idle, sum(values)

    try:
        while time.monotonic() < deadline:
            busy0, total0 = ticks()
            time.sleep(0.5)
            busy1, total1 = ticks()
            if total1 > total0 and (busy1 - busy0) / (total1 - total0) < quiet:
                return
    except OSError:  # no /proc: a moment instead
        time.sleep(2.0)


def startup_runs(env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """Launch the real app ``runs`` times (demo model, a new data dir each time: a first start)
    and read the start-up log line of each: (milliseconds, RSS MB)."""
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
    return times, rss


def startup(env: dict[str, str], runs: int = 5) -> dict[str, float]:
    """Start-up of the real app as an installed copy starts: with its bytecode compiled (pip and
    the bundle compile it at install), written by one uncounted run to a throw-away cache.

    Where ``PYTHONDONTWRITEBYTECODE`` is set, every start also compiles the app from source (~0.3 s
    more); that figure is printed too, as ``startup_to_window_ms_from_source``."""
    print("\n== start-up of the real app", flush=True)
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache:
        compiled = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        compiled["PYTHONPYCACHEPREFIX"] = cache
        startup_runs(compiled, 1)  # writes the bytecode
        times, rss = startup_runs(compiled, runs)
    if not times:
        print("the app did not report its start-up")
        return {}
    median = sorted(times)[len(times) // 2]
    print(f"window shown after {median:.0f} ms (median of {len(times)}), RSS {max(rss):.0f} MB")
    figures.update({"startup_to_window_ms": median, "rss_mb_idle_window": max(rss)})
    if env.get("PYTHONDONTWRITEBYTECODE"):
        times, _ = startup_runs(env, runs)
        if times:
            from_source = sorted(times)[len(times) // 2]
            print(f"from source (PYTHONDONTWRITEBYTECODE): {from_source:.0f} ms (median of {len(times)})")
            figures["startup_to_window_ms_from_source"] = from_source
    return figures


def main() -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    figures: dict[str, float] = {}
    for name in SCRIPTS:
        settle()
        figures.update(run_script(name, env))
    settle()
    figures.update(startup(env))
    print("\n" + json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
