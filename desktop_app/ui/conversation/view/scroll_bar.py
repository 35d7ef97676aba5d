"""The conversation's scroll bar: a rounded handle on the conversation's own background.

The style's scroll bar (Fusion's gradients, grooves and arrows) costs 1.3 ms a paint on a 2-core
machine, and this one repaints at every wheel step and at every render of a streaming reply (its
range grows), in every window. Here only the handle is drawn, where the style places it, so the
style still answers every click, drag and page step the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QScrollBar, QStyle, QStyleOptionSlider, QWidget

INSET = 3.0  # px of track either side of the handle
ALPHA = {"idle": 70, "hover": 120, "pressed": 160}  # the handle: the text colour, this opaque


class ConversationScrollBar(QScrollBar):
    """A vertical scroll bar that paints a rounded handle in the palette's colours (light or dark,
    whichever the view has now: it is read at each paint)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setAccessibleName("Conversation scroll bar")

    def handle_rect(self) -> QRectF:
        """Where the style puts the handle (what a click or a drag there moves)."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        rect = self.style().subControlRect(
            QStyle.ComplexControl.CC_ScrollBar, option, QStyle.SubControl.SC_ScrollBarSlider, self
        )
        return QRectF(rect).adjusted(INSET, INSET / 2, -INSET, -INSET / 2)

    def handle_colour(self) -> QColor:
        state = "pressed" if self.isSliderDown() else "hover" if self.underMouse() else "idle"
        colour = QColor(self.palette().color(QPalette.ColorRole.Text))
        colour.setAlpha(ALPHA[state])
        return colour

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.HoverEnter, QEvent.Type.HoverLeave):
            self.update()
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        if self.maximum() > self.minimum():
            handle = self.handle_rect()
            if handle.height() > 0 and handle.width() > 0:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self.handle_colour())
                radius = handle.width() / 2
                painter.drawRoundedRect(handle, radius, radius)
        painter.end()
