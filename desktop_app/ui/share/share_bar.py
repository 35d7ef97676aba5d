"""The strip under the banner while a window is shared live: the link, viewers, LAN, Copy and Stop."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QFrame,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from desktop_app.ui.platform.fitting.elided_label import ElidedLabel
from desktop_app.ui.platform.fitting.flow_layout import FlowLayout
from desktop_app.ui.platform.live_palette import follow_palette, tint

LAN_WARNING_TITLE = "Share on your local network?"
LAN_WARNING = (
    "Anyone on your network who gets the link can watch this conversation as it happens, "
    "including tool output and what the tools read from your files.\n\n"
    "The connection is not encrypted: other devices on the same network could see what is shown. "
    "Turn this on only on a network you trust, and turn it off when the demo is over."
)
LOCAL_TIP = "Anyone with this link on this machine can watch; it stops working when you stop"
LAN_TIP = "Devices on your network can open this link; it stops working when you stop"


class ShareBar(QFrame):
    """Signals:
    stop_requested(): the user pressed Stop sharing.
    lan_requested(bool): the user turned LAN sharing on (after accepting the warning) or off.
    """

    stop_requested = Signal()
    lan_requested = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Live share")
        self.state = ElidedLabel("● Sharing live:", self)
        self.link = ElidedLabel("", self, Qt.TextElideMode.ElideMiddle)  # a long URL never widens it
        self.link.setOpenExternalLinks(True)
        self.link.setAccessibleName("Viewer link")
        self.link.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.viewers = QLabel("No viewers yet", self)
        self.viewers.setAccessibleName("Viewers")
        self.lan_box = QCheckBox("On my &network", self)
        self.lan_box.setAccessibleName("Share on the local network")
        self.lan_box.setToolTip("Let other devices on your network watch (asks first)")
        self.copy_button = QPushButton("Cop&y link", self)
        self.stop_button = QPushButton("Stop &sharing", self)
        self.copy_button.clicked.connect(self.copy_link)
        self.stop_button.clicked.connect(self.stop_requested)
        self.lan_box.clicked.connect(self._lan_clicked)
        # One flowing row: in a narrow window the link takes a row of its own (elided), the actions
        # the next; nothing here asks for more than its widest part.
        layout = FlowLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        for widget in (self.state, self.link, self.viewers, self.lan_box, self.copy_button):
            layout.addWidget(widget)
        layout.add_to_end(self.stop_button)
        self._url = ""
        self._lan_urls: list[str] = []
        self.warning: QMessageBox | None = None  # made on first use, then reused
        self._agree: QAbstractButton | None = None
        self.hide()
        follow_palette(self, self._restyle)

    def _restyle(self) -> None:
        """Sharing on the network is shown in the theme's warning colour."""
        on_lan = self.lan_box.isChecked()
        self.state.setStyleSheet(f"color: {tint('warning_text')}; font-weight: 600;" if on_lan else "")

    @property
    def shown_url(self) -> str:
        """The link Copy copies: the network one while LAN sharing is on."""
        return self._lan_urls[0] if self._lan_urls else self._url

    @Slot(str)
    def show_url(self, url: str) -> None:
        self._url = url
        self._lan_urls = []
        self.lan_box.setChecked(False)
        if not url:
            self._close_warning()
            self.hide()
            return
        self._show_link()
        self.show_viewers(0)
        self.show()

    @Slot(bool, list)
    def show_lan(self, on: bool, urls: list[str]) -> None:
        """LAN sharing is now on (with these network links) or off."""
        self._lan_urls = list(urls) if on else []
        self.lan_box.setChecked(on)
        self._show_link()

    @Slot(int)
    def show_viewers(self, count: int) -> None:
        self.viewers.setText(
            "No viewers yet" if count == 0 else f"{count} viewer{'s' if count != 1 else ''} watching"
        )

    @Slot()
    def copy_link(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None and self.shown_url:
            clipboard.setText(self.shown_url)

    def _show_link(self) -> None:
        on_lan = self.lan_box.isChecked()
        url = self.shown_url
        self.state.setText("⚠ Sharing on your network:" if on_lan else "● Sharing live:")
        shown = f"{url} (no network address found)" if on_lan and not self._lan_urls else url
        self.link.set_link(shown, url)
        tip = f"{url}\n{LAN_TIP if on_lan else LOCAL_TIP}"
        if len(self._lan_urls) > 1:
            tip += "\nAlso: " + ", ".join(self._lan_urls[1:])
        self.link.set_tip(tip)
        self._restyle()

    @Slot(bool)
    def _lan_clicked(self, checked: bool) -> None:
        if not checked:
            self.lan_requested.emit(False)
            return
        self.lan_box.setChecked(False)  # not until the user has read the warning and agreed
        if self.warning is None:
            self.warning = self._make_warning()
        self.warning.open()  # not exec(): no nested event loop under qasync

    def _make_warning(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, LAN_WARNING_TITLE, LAN_WARNING, parent=self)
        self._agree = box.addButton("Share on &network", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)  # Enter does the safe thing
        box.setEscapeButton(cancel)
        box.buttonClicked.connect(self._answered)
        return box

    @Slot(QAbstractButton)
    def _answered(self, button: QAbstractButton) -> None:
        if button is self._agree and self._url:
            self.lan_requested.emit(True)

    @property
    def asking(self) -> bool:
        """The LAN warning is open, waiting for the user's answer."""
        return self.warning is not None and self.warning.isVisible()

    def _close_warning(self) -> None:
        if self.warning is not None:
            self.warning.reject()
