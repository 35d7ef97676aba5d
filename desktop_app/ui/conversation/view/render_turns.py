"""One streaming render per turn of the event loop, across every window of the app.

Each streaming reply's throttle says when it may render; when several windows stream at once their
renders fall due together, and run back to back they would freeze the loop for the sum of them
(three windows: three renders and three paints in one stretch). Here they wait in line and run one
at a time, each after the loop has had a turn (input, paints, the CLI's events).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class RenderTurns(QObject):
    """Runs queued renders one per event-loop turn, in the order they were asked for."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._waiting: deque[Callable[[], None]] = deque()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run_one)

    def request(self, render: Callable[[], None]) -> None:
        """Queue ``render`` (once: asking again before it ran changes nothing)."""
        if render not in self._waiting:
            self._waiting.append(render)
        if not self._timer.isActive():
            self._timer.start()

    def cancel(self, render: Callable[[], None]) -> None:
        if render in self._waiting:
            self._waiting.remove(render)

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def _run_one(self) -> None:
        if self._waiting:
            self._waiting.popleft()()
        if self._waiting:
            self._timer.start()


_shared: RenderTurns | None = None


def shared_turns() -> RenderTurns:
    """The app's one line of renders (made on first use, when a Qt application exists)."""
    global _shared
    if _shared is None:
        _shared = RenderTurns()
    return _shared
