"""Desktop notifications for windows the user is not looking at.

A reply that took a while, or a tool waiting for approval, in a window without focus: the system
tray's notification when there is a tray (clicking it brings that window forward), and the window
asks for attention (taskbar flash) either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

log = logging.getLogger(__name__)


class Notifier(QObject):
    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray: QSystemTrayIcon | None = None
        self._target: Callable[[], None] | None = None
        self.sent: list[tuple[str, str]] = []  # (title, text) of each notification, newest last
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
        if self._tray is not None:
            self._tray.showMessage(title, text[:200], QSystemTrayIcon.MessageIcon.Information, 8000)
        log.info("Notified: %s", title)

    @Slot()
    def clicked(self) -> None:
        """The notification was clicked: show the window it was about."""
        target, self._target = self._target, None
        if target is not None:
            target()

    def close(self) -> None:
        if self._tray is not None:
            self._tray.hide()
