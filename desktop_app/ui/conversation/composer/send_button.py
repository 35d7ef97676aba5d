"""The composer's round Send/Stop button: a plain ``QPushButton`` (its text says "Send" or "Stop",
as tests and the screen reader expect) drawn as an icon in a filled circle.

The drawing is an event filter, not a subclass, so the button stays an ordinary ``QPushButton``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import QPushButton, QWidget

from desktop_app.ui.platform.icons import icon

DIAMETER = 32
ICON_SIDE = 18


class RoundIconPainter(QObject):
    """Paints its button as a circle in the palette's highlight with the icon its text names."""

    def __init__(self, button: QPushButton) -> None:
        super().__init__(button)
        self._button = button
        button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._button and event.type() is QEvent.Type.Paint:
            self._paint()
            return True
        return False

    def _paint(self) -> None:
        button = self._button
        palette = button.palette()
        enabled = button.isEnabled()
        painter = QPainter(button)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        circle = QRectF(button.rect()).adjusted(2.5, 2.5, -2.5, -2.5)
        fill = (
            palette.color(QPalette.ColorRole.Highlight)
            if enabled
            else palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button)
        )
        if button.isDown():
            fill = fill.darker(115)
        elif button.underMouse() and enabled:
            fill = fill.lighter(110)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawEllipse(circle)
        if button.hasFocus():
            ring = QPen(QColor(palette.color(QPalette.ColorRole.Highlight)), 2)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QRectF(button.rect()).adjusted(1, 1, -1, -1))
        name = "stop" if button.text() == "Stop" else "send"
        role = QPalette.ColorRole.HighlightedText if enabled else QPalette.ColorRole.ButtonText
        mode = QIcon.Mode.Normal if enabled else QIcon.Mode.Disabled
        side = ICON_SIDE - 4 if name == "stop" else ICON_SIDE
        target = button.rect()
        target.setSize(QSize(side, side))
        target.moveCenter(button.rect().center())
        icon(name, role).paint(painter, target, Qt.AlignmentFlag.AlignCenter, mode)
        painter.end()


def send_button(parent: QWidget) -> QPushButton:
    """The round Send/Stop button; clicking it leaves the keyboard in the composer."""
    button = QPushButton("Send", parent)
    button.setAccessibleName("Send or stop")
    button.setToolTip("Send (Enter)")
    button.setFixedSize(DIAMETER + 4, DIAMETER + 4)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setAttribute(Qt.WidgetAttribute.WA_Hover)
    RoundIconPainter(button)
    return button


def show_busy(button: QPushButton, busy: bool) -> None:
    """Stop while a reply streams, Send otherwise (the text names the icon; a repaint follows)."""
    button.setText("Stop" if busy else "Send")
    button.setToolTip("Stop the reply (Esc)" if busy else "Send (Enter)")
    button.update()
