"""The window's toolbar: where answers come from (said once, here), the tool panel, Settings, ☰.

The model, effort and mode pickers are chips in the composer card (``session_chips``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QToolBar, QToolButton, QWidget

from desktop_app.ui.platform.live_palette import follow_palette, tint


class ChatToolBar(QToolBar):
    """Shows what the window talks to; ``panel_action`` and ``settings_action`` sit at the right,
    then the ☰ button (``menu_button``)."""

    def __init__(self, settings_action: QAction, panel_action: QAction, parent: QWidget) -> None:
        super().__init__("Chat", parent)
        self.setMovable(False)
        self.source_badge = QLabel("", self)
        self.source_badge.setTextFormat(Qt.TextFormat.PlainText)  # an endpoint's name: not markup
        self.source_badge.setAccessibleName("Answers come from")
        self._demo = False
        follow_palette(self.source_badge, self._restyle_badge)
        self.addWidget(self.source_badge)
        spacer = QWidget(self)
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
        )
        self.addWidget(spacer)
        self.addAction(settings_action)
        self.menu_button = QToolButton(self)
        self.menu_button.setText("☰")
        self.menu_button.setAccessibleName("Menu")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.addWidget(self.menu_button)
        self.insertAction(settings_action, panel_action)

    def show_source(self, label: str, demo: bool) -> None:
        self.source_badge.setText(f"  {label}  ")
        self._demo = demo
        self._restyle_badge()

    def _restyle_badge(self) -> None:
        """The demo's badge stands out, in the current theme's colour."""
        self.source_badge.setStyleSheet(f"color:{tint('demo_badge')}; font-weight:600;" if self._demo else "")
