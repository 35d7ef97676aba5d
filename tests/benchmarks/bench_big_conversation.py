"""A 5 MB conversation in the chat view: opening it, Ctrl+Home to its first message, the memory it
holds, and a reader scrolling through it (and through a 1 MB one) from the end to the top.

The stores are built in a child process, so the text pools that build them are not counted in this
process's memory. Prints figures and, last, one JSON line; asserts nothing (shared machines are noisy).
Run: ``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_big_conversation.py``.
"""

from __future__ import annotations

import gc
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

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from desktop_app.core.rendering.markdown_render import prewarm_lexers
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from tests.benchmarks.big_conversation import (
    close_view,
    fill_ms,
    new_view,
    paced_scroll,
    render_process_rss_mb,
    rss_mb,
    saved_conversation,
    scroll_to_top_steps,
    step_figures,
)

MB = 1_000_000


def build(data_dir: Path, size: int) -> str:
    """In a child process: the store under ``data_dir``; returns the conversation's id."""
    child = subprocess.run(
        [sys.executable, __file__, "--build", str(data_dir), str(size)],
        capture_output=True,
        text=True,
        check=True,
    )
    return child.stdout.strip().splitlines()[-1]


def open_store(data_dir: Path) -> ConversationStore:
    return ConversationStore(open_database(data_dir).connection)


def ctrl_home(app: QApplication, view: object) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(view, QKeyEvent(kind, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier))  # type: ignore[arg-type]
    view.viewport().repaint()  # type: ignore[attr-defined]
    app.processEvents()


def five_mb(app: QApplication, data_dir: Path, conversation_id: str) -> dict[str, float | bool]:
    store = open_store(data_dir)
    rss_before = rss_mb()
    views = []
    walls, cpus, loads = [], [], []
    for _ in range(3):
        view = new_view(app)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        messages = store.messages(conversation_id)
        loaded = time.perf_counter()
        view.show_messages(messages)
        view.viewport().repaint()
        app.processEvents()
        walls.append((time.perf_counter() - wall0) * 1000)
        cpus.append(time.process_time() - cpu0)
        loads.append((loaded - wall0) * 1000)
        views.append(view)
        if len(views) == 1:
            rss_open = rss_mb()  # one window with the conversation open, as the app holds it
            rss_render = render_process_rss_mb()
    size = sum(len(m.content.encode("utf-8")) for m in messages)
    first_id = messages[0].id
    del messages
    view = views[0]
    for extra in views[1:]:
        close_view(app, extra)
    gc.collect()
    end_visible = view.visible_rows()[1] == len(view.rows) - 1
    cpu0, wall0 = time.process_time(), time.perf_counter()
    ctrl_home(app, view)
    home_cpu, home_wall = time.process_time() - cpu0, (time.perf_counter() - wall0) * 1000
    first_visible = view.is_message_visible(first_id) and view.visible_rows()[0] == 0
    top = view.verticalScrollBar().value()
    print(f"5 MB conversation: {len(view.rows)} messages, {size / MB:.2f} MB of markdown")
    print(
        f"open (load from the store + show, its end painted): {statistics.median(walls):.0f} ms median of "
        f"{len(walls)} (of which loading {statistics.median(loads):.0f} ms), "
        f"CPU {statistics.median(cpus):.2f} s; last message on screen: {end_visible}"
    )
    print(
        f"Ctrl+Home: {home_wall:.0f} ms, CPU {home_cpu:.2f} s; first message on screen: {first_visible} "
        f"(scroll bar at {top})"
    )
    print(
        f"RSS: {rss_before:.0f} MB before opening, {rss_open:.0f} MB with it open, "
        f"and {rss_render:.0f} MB in the render process"
    )
    close_view(app, view)
    store.close()
    return {
        "open_5mb_conversation_ms": round(statistics.median(walls), 1),
        "open_5mb_conversation_cpu_s": round(statistics.median(cpus), 3),
        "ctrl_home_5mb_cpu_s": round(home_cpu, 3),
        "ctrl_home_5mb_ms": round(home_wall, 1),
        "ctrl_home_5mb_first_message_visible": first_visible,
        "rss_mb_5mb_conversation": round(rss_open, 1),
        "rss_mb_render_process": round(rss_render, 1),
    }


def scroll_through(
    app: QApplication, data_dir: Path, conversation_id: str, name: str, paced: bool = False
) -> dict[str, float]:
    """Wheel steps from the end to the top as fast as they go; ``paced``: then again, at 60 a
    second, in a view opened anew."""
    store = open_store(data_dir)
    view = new_view(app)
    view.show_messages(store.messages(conversation_id))
    placeholders: list[int] = []
    steps = scroll_to_top_steps(app, view, placeholders=placeholders)
    median, p99, worst = step_figures(steps)
    at_top = view.verticalScrollBar().value() == 0 and view.visible_rows()[0] == 0
    showed = sum(count > 0 for count in placeholders)
    filled = fill_ms(app, view)
    print(
        f"scrolling a {name} conversation from the end to the top: {len(steps)} wheel steps, "
        f"median {median:.1f} ms, p99 {p99:.1f} ms, worst {worst:.1f} ms; at the top: {at_top}; "
        f"{showed} steps left placeholders on screen, filled {filled:.0f} ms after the last step"
    )
    figures: dict[str, float] = {
        f"scroll_{name}_step_ms_median": round(median, 2),
        f"scroll_{name}_step_ms_p99": round(p99, 2),
        f"scroll_{name}_step_ms_max": round(worst, 2),
        f"scroll_{name}_steps": len(steps),
        f"scroll_{name}_placeholder_steps": showed,
        f"scroll_{name}_fill_ms": round(filled, 1),
    }
    if paced:
        close_view(app, view)
        view = new_view(app)
        view.show_messages(store.messages(conversation_id))
        count, paced_showed, paced_worst = paced_scroll(app, view)
        print(
            f"the same at 60 steps a second (the loop running between): {count} steps, longest "
            f"stall {paced_worst:.1f} ms, {paced_showed} frames showed a placeholder"
        )
        figures[f"scroll_{name}_60hz_stall_ms_max"] = round(paced_worst, 2)
        figures[f"scroll_{name}_60hz_placeholder_frames"] = paced_showed
        figures[f"scroll_{name}_60hz_steps"] = count
    close_view(app, view)
    store.close()
    return figures


def main() -> int:
    if sys.argv[1:2] == ["--build"]:
        saved = saved_conversation(Path(sys.argv[2]), int(sys.argv[3]))
        saved.store.close()
        print(saved.conversation_id)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench_big_") as tmp:
        big_dir, small_dir = Path(tmp) / "5mb", Path(tmp) / "1mb"
        big_id, small_id = build(big_dir, 5 * MB), build(small_dir, MB)
        app = QApplication.instance() or QApplication([])
        assert isinstance(app, QApplication)
        prewarm_lexers()
        figures: dict[str, float | bool] = {}
        figures.update(five_mb(app, big_dir, big_id))
        figures.update(scroll_through(app, small_dir, small_id, "1mb", paced=True))
        figures.update(scroll_through(app, big_dir, big_id, "5mb", paced=True))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
