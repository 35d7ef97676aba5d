"""A strip above the conversation that says what the app is doing or what went wrong, with actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.core.rendering.theme import theme_for

TEXT_COLOURS = {
    "light": {"info": "#0b3d5c", "warning": "#663c00", "error": "#5f2120"},
    "dark": {"info": "#cde7f7", "warning": "#ffe2b3", "error": "#ffd2cf"},
}


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.label, 1)
        self._buttons: list[QPushButton] = []
        self._layout = layout
        self.hide()

    def show_message(
        self,
        text: str,
        level: str = "info",
        actions: list[tuple[str, Callable[[], object]]] | None = None,
    ) -> None:
        for button in self._buttons:
            button.deleteLater()
        self._buttons = []
        theme = theme_for(self.palette().window().color().lightness())
        level = level if level in theme.notices else "info"
        background, foreground = theme.notices[level], TEXT_COLOURS[theme.name][level]
        self.setStyleSheet(f"#banner {{background:{background}; color:{foreground}; border-radius: 4px;}}")
        self.label.setText(text)
        for title, callback in actions or []:
            button = QPushButton(title, self)
            button.clicked.connect(callback)
            self._layout.addWidget(button)
            self._buttons.append(button)
        self.show()

    def clear(self) -> None:
        self.hide()
        self.label.clear()
        for button in self._buttons:
            button.deleteLater()
        self._buttons = []

    def button(self, title: str) -> QPushButton | None:
        return next((b for b in self._buttons if b.text() == title), None)

    @property
    def button_titles(self) -> list[str]:
        return [b.text() for b in self._buttons]
