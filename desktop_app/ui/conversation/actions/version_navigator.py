"""The "< 2/3 >" under a prompt that has versions (an edit, a regeneration): painted at the right of
its action strip, where it stays visible, and clicked there. The keyboard has the same steps in the
message's context menu (Previous version, Next version); a screen reader hears "version 2 of 3".
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QIcon, QPainter, QPalette

from desktop_app.ui.conversation.view.row_document import RowDocument
from desktop_app.ui.conversation.view.row_painter import Column
from desktop_app.ui.conversation.view.rows import Row, RowKind
from desktop_app.ui.platform.icons import icon

ARROW = 22.0  # each arrow's square, px
LABEL_PAD = 4.0
PREVIOUS, NEXT = "Previous version", "Next version"


class RowsOnScreen(Protocol):
    """What of the conversation view the navigator reads."""

    rows: list[Row]

    @property
    def column(self) -> Column: ...

    def visible_rows(self) -> tuple[int, int]: ...

    def row_top(self, index: int) -> float: ...

    def document_for(self, index: int, keep: bool = True) -> RowDocument: ...

    def has_document(self, index: int) -> bool: ...


def shows_on(row: Row) -> bool:
    return row.kind is RowKind.USER and row.version is not None and row.last_part


def label(version: tuple[int, int]) -> str:
    return f"{version[0]}/{version[1]}"


def parts(strip: QRectF, version: tuple[int, int], metrics: QFontMetricsF) -> tuple[QRectF, QRectF, QRectF]:
    """The back arrow, the label and the forward arrow, right-aligned in the strip."""
    top = strip.top() + (strip.height() - ARROW) / 2
    forward = QRectF(strip.right() - ARROW, top, ARROW, ARROW)
    width = metrics.horizontalAdvance(label(version)) + 2 * LABEL_PAD
    text = QRectF(forward.left() - width, top, width, ARROW)
    back = QRectF(text.left() - ARROW, top, ARROW, ARROW)
    return back, text, forward


def width(version: tuple[int, int] | None, metrics: QFontMetricsF) -> float:
    """How much of the strip's right end it takes (0 without versions)."""
    if version is None:
        return 0.0
    return 2 * ARROW + metrics.horizontalAdvance(label(version)) + 2 * LABEL_PAD


def paint(
    painter: QPainter, strip: QRectF, version: tuple[int, int], palette: QPalette, metrics: QFontMetricsF
) -> None:
    back, text, forward = parts(strip, version, metrics)
    position, count = version
    for rect, name, enabled in ((back, "back", position > 1), (forward, "forward", position < count)):
        mode = QIcon.Mode.Normal if enabled else QIcon.Mode.Disabled
        icon(name).paint(painter, rect.adjusted(3, 3, -3, -3).toRect(), Qt.AlignmentFlag.AlignCenter, mode)
    painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
    painter.drawText(text, int(Qt.AlignmentFlag.AlignCenter), label(version))


def step_at(view: RowsOnScreen, point: QPoint, metrics: QFontMetricsF) -> tuple[str, int] | None:
    """The prompt (message id) and the step (-1, +1) of the arrow under ``point``, if one is."""
    first, last = view.visible_rows()
    for index in range(first, last + 1):
        row = view.rows[index]
        if not shows_on(row) or row.message_id is None or row.version is None or not view.has_document(index):
            continue
        strip = view.column.strip(row, view.row_top(index), view.document_for(index))
        back, _text, forward = parts(strip, row.version, metrics)
        position, count = row.version
        if back.contains(point.toPointF()):
            return (row.message_id, -1) if position > 1 else None
        if forward.contains(point.toPointF()):
            return (row.message_id, 1) if position < count else None
    return None
