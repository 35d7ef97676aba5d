"""Visible focus rings: a proxy over whichever style the app uses that draws a 2 px ring in the
palette's highlight around the control that has the keyboard.

Fusion and most native styles mark focus faintly or not at all (a tool button shows nothing), so a
keyboard user loses track of where they are. The ring is drawn from the palette at every paint:
a theme switch recolours it with nothing to reset.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QStyleOptionComplex, QWidget

RING_WIDTH = 2.0
RING_RADIUS = 5.0
RING_PROPERTY = "focusRing"  # False on a widget that draws its own (the composer's card, Send)

_CONTROLS = {QStyle.ControlElement.CE_PushButton}
_COMPLEX = {
    QStyle.ComplexControl.CC_ToolButton,
    QStyle.ComplexControl.CC_ComboBox,
    QStyle.ComplexControl.CC_SpinBox,
}
_PRIMITIVES = {QStyle.PrimitiveElement.PE_FrameLineEdit}


def wants_ring(option: QStyleOption, widget: QWidget | None) -> bool:
    """The control has the keyboard and does not draw its own ring."""
    if not option.state & QStyle.StateFlag.State_HasFocus:  # type: ignore[attr-defined]
        return False
    return widget is None or widget.property(RING_PROPERTY) is not False


def draw_ring(painter: QPainter, option: QStyleOption) -> None:
    """A rounded ring just inside ``option.rect``, in the highlight colour."""
    palette: QPalette = option.palette  # type: ignore[attr-defined]
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), RING_WIDTH))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = RING_WIDTH / 2
    rect = QRectF(option.rect).adjusted(inset, inset, -inset, -inset)  # type: ignore[attr-defined]
    painter.drawRoundedRect(rect, RING_RADIUS, RING_RADIUS)
    painter.restore()


class FocusRingStyle(QProxyStyle):
    """The base style's drawing, then a ring on the focused button, combo box, field or check box."""

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        if element in _CONTROLS and wants_ring(option, widget):
            draw_ring(painter, option)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in _COMPLEX and wants_ring(option, widget):
            draw_ring(painter, option)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element is QStyle.PrimitiveElement.PE_FrameFocusRect:
            # Check boxes, radio buttons, item views: the ring instead of the style's dotted line.
            if widget is None or widget.property(RING_PROPERTY) is not False:
                draw_ring(painter, option)
            return
        super().drawPrimitive(element, option, painter, widget)
        if element in _PRIMITIVES and wants_ring(option, widget):
            draw_ring(painter, option)


def with_focus_rings(style: QStyle | None) -> QStyle:
    """``style`` (or the default) wrapped so focused controls show a ring."""
    return FocusRingStyle(style) if style is not None else FocusRingStyle()
