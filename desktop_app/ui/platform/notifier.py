"""Desktop notifications for windows the user is not looking at.

A reply that took a while, or a tool waiting for approval, in a window without focus: the
platform's notification (``core.system_notifications``: D-Bus on Linux, so no tray is needed), or
the system tray's message where that is unavailable; clicking either brings that window forward.
The window also asks for attention (taskbar flash) either way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from desktop_app.core.platform.system_notifications import SystemNotifications

log = logging.getLogger(__name__)


class Notifier(QObject):
    def __init__(
        self, icon: QIcon, parent: QObject | None = None, system: SystemNotifications | None = None
    ) -> None:
        super().__init__(parent)
        self._tray: QSystemTrayIcon | None = None
        self._target: Callable[[], None] | None = None
        self.system = system
        self.sent: list[tuple[str, str]] = []  # (title, text) of each notification, newest last
        self.via: list[str] = []  # how each was shown: "system", "tray" or "alert" (taskbar only)
        self._sending: set[asyncio.Task[None]] = set()
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            self._tray = QSystemTrayIcon(icon, self)
            self._tray.setToolTip(QApplication.applicationName())
            self._tray.messageClicked.connect(self.clicked)
            self._tray.show()

    @property
    def has_tray(self) -> bool:
        return self._tray is not None

    def notify(self, window: QWidget, title: str, text: str, bring_forward: Callable[[], None]) -> None:
        """Tell the user about ``window`` unless they are looking at it."""
        if window.isActiveWindow():
            return
        self.sent.append((title, text))
        self._target = bring_forward
        QApplication.alert(window)
        log.info("Notified: %s", title)
        if self.system is not None and self.system.available:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no event loop (a widget test): the tray will do
                pass
            else:
                task = loop.create_task(self._send(title, text, bring_forward))
                self._sending.add(task)
                task.add_done_callback(self._sending.discard)
                return
        self._show_in_tray(title, text)

    async def _send(self, title: str, text: str, bring_forward: Callable[[], None]) -> None:
        assert self.system is not None
        if await self.system.send(title, text[:200], bring_forward):
            self.via.append("system")
        else:
            self._show_in_tray(title, text)

    def _show_in_tray(self, title: str, text: str) -> None:
        if self._tray is None:
            self.via.append("alert")
            return
        self._tray.showMessage(title, text[:200], QSystemTrayIcon.MessageIcon.Information, 8000)
        self.via.append("tray")

    @Slot()
    def clicked(self) -> None:
        """The tray message was clicked: show the window it was about."""
        target, self._target = self._target, None
        if target is not None:
            target()

    def close(self) -> None:
        for task in self._sending:
            task.cancel()
        if self._tray is not None:
            self._tray.hide()
