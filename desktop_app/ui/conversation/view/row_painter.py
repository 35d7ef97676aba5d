"""Where a message sits in the reading column and how it is painted: prompts as rounded bubbles on
the right, replies in the column, the app's notices as cards; an action strip under each."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextTable,
)

from desktop_app.core.rendering.theme import Theme
from desktop_app.ui.conversation.view.rows import Row, RowKind

MAX_COLUMN = 760  # the reading column's widest (px)
SIDE_MARGIN = 20
TOP_GAP = 6  # above each message
ACTION_STRIP = 30  # below each: the space between turns, where its actions show on hover
BUBBLE_SHARE = 0.85  # a prompt's bubble is at most this share of the column
PAD_X, PAD_Y = 14, 10  # inside bubbles and cards
RADIUS = 14
CODE_RADIUS = 8


@dataclass(frozen=True)
class Column:
    """The reading column in viewport coordinates."""

    left: float
    width: float

    @classmethod
    def for_viewport(cls, viewport_width: int) -> Column:
        width = max(min(MAX_COLUMN, viewport_width - 2 * SIDE_MARGIN), 120)
        return cls(max((viewport_width - width) / 2, 0), width)

    def text_width(self, kind: RowKind) -> float:
        if kind is RowKind.USER:
            return self.width * BUBBLE_SHARE - 2 * PAD_X
        if kind is RowKind.NOTICE:
            return self.width - 2 * PAD_X
        return self.width

    def row_height(self, row: Row, document_height: float) -> float:
        padding = 0 if row.kind is RowKind.REPLY else 2 * PAD_Y
        return gap_above(row) + document_height + padding + strip_below(row)

    def box(self, row: Row, top: float, document: QTextDocument) -> QRectF:
        """The bubble or card (or, for a reply, the text) of a row that starts at ``top``."""
        height = document.size().height()
        top += gap_above(row)
        if row.kind is RowKind.REPLY:
            return QRectF(self.left, top, self.width, height)
        if row.kind is RowKind.USER:
            ideal = min(document.textWidth(), document.idealWidth(), self.text_width(row.kind))
            width = max(ideal, 24.0) + 2 * PAD_X
            return QRectF(self.left + self.width - width, top, width, height + 2 * PAD_Y)
        return QRectF(self.left, top, self.width, height + 2 * PAD_Y)

    def text_origin(self, row: Row, top: float, document: QTextDocument) -> QPointF:
        box = self.box(row, top, document)
        if row.kind is RowKind.REPLY:
            return box.topLeft()
        return QPointF(box.left() + PAD_X, box.top() + PAD_Y)

    def strip(self, row: Row, top: float, document: QTextDocument) -> QRectF:
        """The action strip below the row's box."""
        box = self.box(row, top, document)
        return QRectF(self.left, box.bottom(), self.width, ACTION_STRIP)


def gap_above(row: Row) -> float:
    """The space above a message (none between the parts of one reply)."""
    return TOP_GAP if row.part == 0 else 0


def strip_below(row: Row) -> float:
    """The space below a message, where its actions show (below its last part only)."""
    return ACTION_STRIP if row.last_part else 0


def box_colour(kind: RowKind, level: str, theme: Theme) -> QColor | None:
    if kind is RowKind.USER:
        return QColor(theme.user_background)
    if kind is RowKind.NOTICE:
        return QColor(theme.notices.get(level, theme.notices["info"]))
    return None


def paint_row(
    painter: QPainter,
    column: Column,
    row: Row,
    top: float,
    document: QTextDocument,
    theme: Theme,
    palette: QPalette,
    selections: list[QAbstractTextDocumentLayout.Selection],
    clip: QRectF,
    focused: bool,
) -> None:
    """Paint one message whose row starts at ``top`` (viewport y); ``clip``: the area to repaint."""
    kind = row.kind
    box = column.box(row, top, document)
    colour = box_colour(kind, row.level, theme)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if colour is not None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(box, RADIUS, RADIUS)
    if focused:  # the message the keyboard is on
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
        painter.drawRoundedRect(box.adjusted(-4, -3, 4, 3), RADIUS, RADIUS)
    origin = column.text_origin(row, top, document)
    painter.save()
    painter.translate(origin)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette = palette
    context.clip = clip.translated(-origin.x(), -origin.y())
    context.selections = selections
    document.documentLayout().draw(painter, context)
    if kind is RowKind.REPLY:
        _round_code_blocks(painter, document, theme, palette.color(QPalette.ColorRole.Base), context.clip)
    painter.restore()


def _round_code_blocks(
    painter: QPainter, document: QTextDocument, theme: Theme, background: QColor, clip: QRectF
) -> None:
    """Round the corners of code blocks (Qt draws tables square) by painting the page's colour
    outside a rounded rectangle over each block's corners. Only the tables the clip crosses are
    visited (found from the blocks between its top and bottom), so a paint while a long reply
    streams costs what is on screen, not what the reply holds."""
    code = QColor(theme.code_background)
    for table in _tables_within(document, clip):
        if table.format().background().color() != code:
            continue
        padding = table.format().cellPadding()  # Qt reports a table's box moved by its padding
        rect = document.documentLayout().frameBoundingRect(table).translated(-padding, -padding)
        if not rect.intersects(clip):
            continue
        outside = QPainterPath()
        outside.addRect(rect)
        inside = QPainterPath()
        inside.addRoundedRect(rect, CODE_RADIUS, CODE_RADIUS)
        painter.fillPath(outside.subtracted(inside), background)


def _tables_within(document: QTextDocument, clip: QRectF) -> list[QTextTable]:
    """The tables with a block between the clip's top and bottom (document coordinates)."""
    layout = document.documentLayout()
    size = layout.documentSize()
    top = max(clip.top(), 0.0)
    bottom = min(clip.bottom(), size.height())
    if bottom < top:
        return []
    fuzzy = Qt.HitTestAccuracy.FuzzyHit
    first = layout.hitTest(QPointF(0.0, top), fuzzy)
    last = layout.hitTest(QPointF(size.width(), bottom), fuzzy)
    if first < 0 or last < 0:
        return []
    tables: list[QTextTable] = []
    seen: set[int] = set()
    block = document.findBlock(first)
    while block.isValid() and block.position() <= last:
        table = QTextCursor(block).currentTable()
        if table is not None:
            start = table.firstPosition()
            if start not in seen:
                seen.add(start)
                tables.append(table)
            block = document.findBlock(table.lastPosition() + 1)  # past the table's cells
            continue
        block = block.next()
    return tables


def paint_placeholder(
    painter: QPainter, column: Column, row: Row, rect: QRectF, line_height: float, palette: QPalette
) -> None:
    """A message not laid out yet, in its estimated place: its box (a prompt's bubble, a notice's
    card) or, for a reply, faint lines where its text will be. Nothing in it is its text."""
    colour = QColor(palette.color(QPalette.ColorRole.Text))
    colour.setAlphaF(0.07)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    top = rect.top() + gap_above(row)
    bottom = rect.bottom() - strip_below(row)
    if row.kind is not RowKind.REPLY:
        width = column.text_width(row.kind) * (0.6 if row.kind is RowKind.USER else 1.0)
        left = column.left + column.width - width if row.kind is RowKind.USER else column.left
        painter.drawRoundedRect(QRectF(left, top, width, max(bottom - top, 1.0)), RADIUS, RADIUS)
        return
    bar = max(line_height * 0.45, 4.0)
    y, line = top + (line_height - bar) / 2, 0
    while y + bar <= bottom:
        share = (0.96, 0.9, 0.98, 0.7)[line % 4]
        painter.drawRoundedRect(QRectF(column.left, y, column.width * share, bar), bar / 2, bar / 2)
        y, line = y + line_height, line + 1


def highlight(cursor_format_colour: str, text_colour: QColor | None = None) -> QTextCharFormat:
    """A character format that paints a background (find matches, the selection)."""
    char_format = QTextCharFormat()
    char_format.setBackground(QColor(cursor_format_colour))
    if text_colour is not None:
        char_format.setForeground(text_colour)
    return char_format
