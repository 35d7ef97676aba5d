"""The strip under the banner while a window is shared live: the link, viewers, Copy and Stop."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ShareBar(QFrame):
    """Signals:
    stop_requested(): the user pressed Stop sharing.
    """

    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Live share")
        self.link = QLabel(self)
        self.link.setOpenExternalLinks(True)
        self.link.setAccessibleName("Viewer link")
        self.link.setTextInteractionFlags(self.link.textInteractionFlags())
        self.viewers = QLabel("No viewers yet", self)
        self.viewers.setAccessibleName("Viewers")
        self.copy_button = QPushButton("Copy link", self)
        self.stop_button = QPushButton("Stop sharing", self)
        self.copy_button.clicked.connect(self.copy_link)
        self.stop_button.clicked.connect(self.stop_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(QLabel("● Sharing live:", self))
        layout.addWidget(self.link, 1)
        layout.addWidget(self.viewers)
        layout.addWidget(self.copy_button)
        layout.addWidget(self.stop_button)
        self._url = ""
        self.hide()

    @Slot(str)
    def show_url(self, url: str) -> None:
        self._url = url
        if not url:
            self.hide()
            return
        self.link.setText(f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
        self.link.setToolTip(
            "Anyone with this link on this machine can watch; it stops working when you stop"
        )
        self.show_viewers(0)
        self.show()

    @Slot(int)
    def show_viewers(self, count: int) -> None:
        self.viewers.setText(
            "No viewers yet" if count == 0 else f"{count} viewer{'s' if count != 1 else ''} watching"
        )

    @Slot()
    def copy_link(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None and self._url:
            clipboard.setText(self._url)
