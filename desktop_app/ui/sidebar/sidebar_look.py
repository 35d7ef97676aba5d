"""The sidebar's look: sizes, and colours taken from the palette each time a row is painted.

Nothing here is cached, so a theme switch shows on the next paint. Hover and selection are the
text colour laid thinly over the background (as modern chat apps do), which reads in light and dark
alike; keyboard focus adds a ring in the highlight colour.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QPalette

ROW_PADDING = 7  # above and below a title
SIDE_MARGIN = 6  # between the list's edge and a row's rounded background
TEXT_INDENT = 10  # from the row's background edge to its text
RADIUS = 8.0
HEADER_GAP = 10  # extra space above a header that follows a group
MORE_SIZE = 24  # the "⋯" button's square
ICON_SIZE = 16


def _over(base: QColor, ink: QColor, alpha: float) -> QColor:
    """``ink`` at ``alpha`` over ``base``, as an opaque colour."""
    return QColor.fromRgbF(
        base.redF() + (ink.redF() - base.redF()) * alpha,
        base.greenF() + (ink.greenF() - base.greenF()) * alpha,
        base.blueF() + (ink.blueF() - base.blueF()) * alpha,
    )


def background(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.Window)


def hover_fill(palette: QPalette) -> QColor:
    return _over(background(palette), palette.color(QPalette.ColorRole.WindowText), 0.07)


def selected_fill(palette: QPalette) -> QColor:
    return _over(background(palette), palette.color(QPalette.ColorRole.WindowText), 0.13)


def button_hover_fill(palette: QPalette) -> QColor:
    """The "⋯" button under the mouse, one step above the row's own fill."""
    return _over(background(palette), palette.color(QPalette.ColorRole.WindowText), 0.2)


def title_colour(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.WindowText)


def header_colour(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.PlaceholderText)


def focus_ring(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.Highlight)


def header_font(base: QFont) -> QFont:
    """Group labels: a little smaller than titles, and semibold."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 0.86)
    else:
        font.setPixelSize(max(9, round(font.pixelSize() * 0.86)))
    font.setWeight(QFont.Weight.DemiBold)
    return font


def row_background(rect: QRect) -> QRect:
    """Where a row's rounded background goes inside its cell."""
    return rect.adjusted(SIDE_MARGIN, 1, -SIDE_MARGIN, -1)


def more_button(rect: QRect) -> QRect:
    """Where the "⋯" button sits in a row's cell: at the right end of its background, centred."""
    back = row_background(rect)
    button = QRect(0, 0, MORE_SIZE, MORE_SIZE)
    button.moveCenter(back.center())
    button.moveRight(back.right() - 4)
    return button


def button_sheet(palette: QPalette) -> str:
    """The "New conversation" button: flat, left-aligned, lit like a row under the mouse, with a
    focus ring (a style sheet holds fixed colours, so the sidebar sets it again on a theme switch)."""
    return (
        "QPushButton { text-align: left; padding: 6px 10px; border: none; border-radius: 8px; }"
        f"QPushButton:hover {{ background-color: {hover_fill(palette).name()}; }}"
        f"QPushButton:pressed {{ background-color: {selected_fill(palette).name()}; }}"
        f"QPushButton:focus {{ border: 2px solid {focus_ring(palette).name()}; padding: 4px 8px; }}"
    )
