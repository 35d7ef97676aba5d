"""While a reply runs: a metrics tick five times a second, and a watchdog for a reply gone silent.

A hung endpoint sends nothing and never ends the turn; the watchdog says so once the reply has shown
no sign of life for the settings' limit. A tool that runs, or waits for the user, is alive.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop_app.core.vocabulary.events import ChatEvent

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class ReplyWatch(QObject):
    """Signals:
    tick(): time to publish fresh metrics.
    went_silent(int): no sign of life for this many seconds (once per reply); stop the reply.
    """

    tick = Signal()
    went_silent = Signal(int)

    def __init__(
        self,
        limit_s: Callable[[], int],
        tools_working: Callable[[], bool],
        parent: QObject | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._limit_s = limit_s  # read at each check: the settings may change mid-reply
        self._tools_working = tools_working
        self._clock = clock
        self._last_activity = 0.0
        self._timed_out = False
        self._silence = QTimer(self)
        self._silence.setInterval(1000)
        self._silence.timeout.connect(self.check)
        self._metrics = QTimer(self)
        self._metrics.setInterval(200)
        self._metrics.timeout.connect(self.tick)

    @property
    def watching(self) -> bool:
        return self._silence.isActive()

    def start(self) -> None:
        """A reply begins: it is alive now."""
        self._metrics.start()
        self._last_activity = self._clock()
        self._timed_out = False
        self._silence.start()

    def stop(self) -> None:
        self._silence.stop()
        self._metrics.stop()

    def stop_ticking(self) -> None:
        """The window closes: no more metrics (the watchdog stops with the reply)."""
        self._metrics.stop()

    def activity(self, _event: ChatEvent) -> None:
        """A session subscriber: any event is a sign of life."""
        self._last_activity = self._clock()

    @Slot()
    def check(self) -> None:
        """Say ``went_silent`` if the reply showed no sign of life for the limit."""
        if not self.watching or self._timed_out:
            return
        if self._tools_working():
            self._last_activity = self._clock()
            return
        limit = self._limit_s()
        if self._clock() - self._last_activity < limit:
            return
        self._timed_out = True
        log.info("No sign of life from the reply for %d s: stopping it", limit)
        self.went_silent.emit(limit)
