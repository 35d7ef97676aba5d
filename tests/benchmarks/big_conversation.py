"""What the large-conversation benchmarks share: a realistic conversation in a real store, the
process's memory, and a reader scrolling a chat view from its end to its top.

The conversation is built from ``bench_store``'s text pools (prose, lists, code fences in several
languages, headings, pasted code in prompts) with a table in some replies (``bench_streaming_render``'s
step), saved through the real schema, so opening it reads what the app would read.
"""

from __future__ import annotations

import random
import resource
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Message, Role
from desktop_app.ui.conversation.chat_view import ChatView
from tests.benchmarks.bench_store import TextFactory

NOTCHES_PER_STEP = 3  # one flick of the wheel: 3 notches of 120 (Qt scrolls 3 lines per notch)


def rss_mb() -> float:
    """Resident memory of this process now (VmRSS), or its peak where /proc is missing."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_process_rss_mb() -> float:
    """Resident memory of the views' render process (0 when it is not running)."""
    from desktop_app.ui.conversation.view import html_pool

    executor = html_pool._executor
    total = 0.0
    for pid in getattr(executor, "_processes", None) or {}:
        try:
            with open(f"/proc/{pid}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
        except (OSError, StopIteration):
            pass
    return total


def table(rng: random.Random, factory: TextFactory) -> str:
    rows = rng.randint(3, 8)
    body = "\n".join(
        f"| `{rng.choice(factory.sentences).split()[0].lower()}_{i}` | {rng.randint(1, 999)} ms | "
        f"{rng.choice(factory.sentences)[:60]} |"
        for i in range(rows)
    )
    return "| name | time | note |\n|---|---:|---|\n" + body


def reply(rng: random.Random, factory: TextFactory) -> str:
    """A long reply: a few of the factory's replies, now and then a table among them."""
    parts = [factory.assistant_reply() for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.4:
        parts.insert(rng.randint(0, len(parts)), table(rng, factory))
    return "\n\n".join(parts)


@dataclass
class SavedConversation:
    store: ConversationStore
    conversation_id: str
    size_bytes: int

    def messages(self) -> list[Message]:
        return self.store.messages(self.conversation_id)


def saved_conversation(data_dir: Path, total_bytes: int, seed: int = 16) -> SavedConversation:
    """A store under ``data_dir`` holding one conversation of about ``total_bytes`` of markdown."""
    rng = random.Random(seed)
    factory = TextFactory(rng)
    store = ConversationStore(open_database(data_dir).connection)
    conversation = store.create_conversation()
    size = 0
    rows = []
    seq = 0
    now = time.time() - 86400
    while size < total_bytes:
        for role, body in ((Role.USER, factory.user_prompt()), (Role.ASSISTANT, reply(rng, factory))):
            seq += 1
            now += 5
            rows.append(
                (f"{conversation.id}-{seq}", conversation.id, seq, role.value, body, "complete", now, now)
            )
            size += len(body.encode("utf-8"))
    with store.transaction() as db:
        db.executemany(
            "INSERT INTO messages (id, conversation_id, seq, role, content, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return SavedConversation(store, conversation.id, size)


def new_view(app: QApplication) -> ChatView:
    view = ChatView()
    view.resize(900, 700)
    view.show()
    app.processEvents()
    return view


def close_view(app: QApplication, view: ChatView) -> None:
    view.close()
    view.deleteLater()
    app.processEvents()


def wheel_up(view: ChatView, notches: int = NOTCHES_PER_STEP) -> None:
    """One turn of the mouse wheel over the conversation, as Qt delivers it."""
    viewport = view.viewport()
    at = QPointF(viewport.width() / 2, viewport.height() / 2)
    event = QWheelEvent(
        at,
        QPointF(viewport.mapToGlobal(at.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)


def placeholders_on_screen(view: ChatView) -> int:
    """Rows on screen shown as placeholders (a scroll outran their layout)."""
    first, last = view.visible_rows()
    return sum(not view.is_ready(index) for index in range(first, last + 1))


def scroll_to_top_steps(
    app: QApplication, view: ChatView, limit: int = 100_000, placeholders: list[int] | None = None
) -> list[float]:
    """From the end, wheel up step by step to the top, as fast as the view goes; each step's ms
    (the event, the layout of what comes on screen, a forced paint and the queued events after it).
    ``placeholders``: how many rows each step left as placeholders on screen."""
    view.scroll_to_end()
    view.viewport().repaint()
    app.processEvents()
    bar = view.verticalScrollBar()
    steps: list[float] = []
    while bar.value() > 0 and len(steps) < limit:
        start = time.perf_counter()
        wheel_up(view)
        view.viewport().repaint()
        app.processEvents()
        steps.append((time.perf_counter() - start) * 1000)
        if placeholders is not None:
            placeholders.append(placeholders_on_screen(view))
    return steps


def fill_ms(app: QApplication, view: ChatView, limit_s: float = 10.0) -> float:
    """After a scroll stops: ms until nothing on screen is a placeholder."""
    start = time.perf_counter()
    while placeholders_on_screen(view) and time.perf_counter() - start < limit_s:
        app.processEvents()
        time.sleep(0.001)
    view.viewport().repaint()
    return (time.perf_counter() - start) * 1000


def paced_scroll(app: QApplication, view: ChatView, hz: float = 60.0) -> tuple[int, int, float]:
    """From the end to the top, one wheel step per frame at ``hz`` (a wheel spun without pause),
    the event loop running between them: (steps, frames that showed a placeholder, longest stall
    in ms: a step, or a turn of the loop between steps, whichever blocked longest)."""
    view.scroll_to_end()
    app.processEvents()
    bar = view.verticalScrollBar()
    frame = 1.0 / hz
    due = time.perf_counter()
    steps = showed = 0
    worst = 0.0
    while bar.value() > 0:
        while time.perf_counter() < due:
            turn = time.perf_counter()
            app.processEvents()
            worst = max(worst, (time.perf_counter() - turn) * 1000)
            time.sleep(0.0005)
        start = time.perf_counter()
        wheel_up(view)
        view.viewport().repaint()
        worst = max(worst, (time.perf_counter() - start) * 1000)
        steps += 1
        showed += placeholders_on_screen(view) > 0
        due = max(due + frame, time.perf_counter())
    return steps, showed, worst


def step_figures(steps: list[float]) -> tuple[float, float, float]:
    """Median, p99 and worst step in ms."""
    ordered = sorted(steps)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], ordered[-1]
