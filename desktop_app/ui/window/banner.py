"""A strip above the conversation that says what the app is doing or what went wrong, with actions.

Its text wraps and its buttons flow onto another row, so a long message never widens the window;
its colours are the notice level's in the current theme, and change with it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.core.rendering.colours.tones import LEVELS
from desktop_app.ui.platform.fitting.flow_layout import FlowLayout
from desktop_app.ui.platform.live_palette import follow_palette, tone


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._level = "info"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        # Wrapped text asks for no width of its own (a long word is cut, never the window widened).
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(40)
        layout.addWidget(self.label)
        self._row = FlowLayout()
        layout.addLayout(self._row)
        self._buttons: list[QPushButton] = []
        self.hide()
        self.follower = follow_palette(self, self._restyle)

    def _restyle(self) -> None:
        tones = tone()
        background, foreground = tones.notice_background[self._level], tones.notice_text[self._level]
        self.setStyleSheet(f"#banner {{background:{background}; color:{foreground}; border-radius: 4px;}}")

    def show_message(
        self,
        text: str,
        level: str = "info",
        actions: list[tuple[str, Callable[[], object]]] | None = None,
    ) -> None:
        self._drop_buttons()
        self._level = level if level in LEVELS else "info"
        self.follower.run()
        self.label.setText(text)
        for title, callback in actions or []:
            button = QPushButton(title, self)
            button.clicked.connect(callback)
            self._row.add_to_end(button)
            self._buttons.append(button)
        self.show()

    def clear(self) -> None:
        self.hide()
        self.label.clear()
        self._drop_buttons()

    def _drop_buttons(self) -> None:
        for button in self._buttons:
            self._row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self._buttons = []

    def button(self, title: str) -> QPushButton | None:
        return next((b for b in self._buttons if b.text() == title), None)

    @property
    def button_titles(self) -> list[str]:
        return [b.text() for b in self._buttons]
