"""The composer card: a rounded frame holding the editor, the session's chips (model, mode) at the
bottom left and the round Send/Stop button at the bottom right.

It paints itself from the palette at every paint, so a theme switch shows at once, and its border
turns into a 2 px highlight ring while the editor has the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.ui.conversation.composer.editor import Composer

RADIUS = 14.0


def border_colour(palette: QPalette) -> QColor:
    """A quiet border: the text colour at a low opacity over the base, readable in both themes."""
    colour = QColor(palette.color(QPalette.ColorRole.Text))
    colour.setAlphaF(0.22)
    return colour


class ComposerCard(QWidget):
    """The editor, the chips and Send/Stop in one card; ``add_chip`` puts a control at bottom left."""

    def __init__(self, composer: Composer, send_button: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.composer = composer
        self.send_button = send_button
        self.setObjectName("ComposerCard")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(4)
        composer.setParent(self)
        layout.addWidget(composer)
        self._chips = QHBoxLayout()
        self._chips.setContentsMargins(0, 0, 0, 0)
        self._chips.setSpacing(4)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(self._chips)
        row.addStretch(1)
        send_button.setParent(self)
        row.addWidget(send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(row)
        composer.installEventFilter(self)

    def add_above(self, widget: QWidget) -> None:
        """A row above the editor (the attachments)."""
        widget.setParent(self)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, widget)

    def add_chip(self, widget: QWidget) -> None:
        """A small control at the bottom left (the model, the mode), after those added before."""
        widget.setParent(self)
        self._chips.addWidget(widget)

    def editing(self) -> bool:
        """True while the editor has the keyboard (the ring shows)."""
        return self.composer.hasFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.composer and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.update()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        focused = self.editing()
        width = 2.0 if focused else 1.0
        colour = palette.color(QPalette.ColorRole.Highlight) if focused else border_colour(palette)
        painter.setPen(QPen(colour, width))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        inset = width / 2 + 0.5
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), RADIUS, RADIUS)
        painter.end()
