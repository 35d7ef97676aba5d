"""What a reply tells the user who is not watching: screen-reader announcements, notifications."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.ui.platform.notifier import Notifier

NOTIFY_AFTER_S = 4.0  # replies quicker than this were watched; no notification for them


class ReplyNotifications(QObject):
    """A screen reader hears a reply start and end (from ``view``), never token by token.

    A reply that took a while, or a request waiting for an answer, goes to the app's notifier (which
    the app hands the window after it is made: ``notifier()`` asks for it); without one, the taskbar
    flashes when ``window`` is not the active window.
    """

    def __init__(
        self,
        window: QWidget,
        view: QWidget,
        notifier: Callable[[], Notifier | None],
        bring_to_front: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._view = view
        self._notifier = notifier
        self._bring_to_front = bring_to_front
        self.announcements: list[str] = []  # what was announced to assistive technology
        self.clock: Callable[[], float] = time.monotonic  # how long a reply took
        self._reply_started_at = 0.0

    def announce(self, text: str) -> None:
        """Tell a screen reader (politely) about a reply starting or ending, never token by token."""
        self.announcements.append(text)
        event = QAccessibleAnnouncementEvent(self._view, text)
        QAccessible.updateAccessibility(event)

    @Slot(bool)
    def reply_busy(self, busy: bool) -> None:
        """A reply starts or ends: say so, and notify when it took long enough not to be watched."""
        self.announce("Copilot is replying" if busy else "Copilot's reply is complete")
        if busy:
            self._reply_started_at = self.clock()
        elif self.clock() - self._reply_started_at >= NOTIFY_AFTER_S:
            self.notify("Copilot has replied", self._window.windowTitle())

    def notify(self, title: str, text: str) -> None:
        notifier = self._notifier()
        if notifier is not None:
            notifier.notify(self._window, title, text, self._bring_to_front)
        elif not self._window.isActiveWindow():
            QApplication.alert(self._window)
