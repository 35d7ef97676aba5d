"""A layout that lays its items out in rows, wrapping to the next row when the width runs out.

For rows of buttons (a permission request's answers, the share bar's actions): in a narrow window
they wrap instead of holding the window wide. Its minimum width is its widest item; its height
follows its width (``heightForWidth``), so the layouts above it make room for the rows it needs.
Items may be pushed to the right end of the last row with ``add_to_end`` (as a stretch would).
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        # Attributes first: Qt asks a layout for its geometry as soon as it has a parent.
        self._items: list[QLayoutItem] = []
        self._end: set[int] = set()  # ids of the items kept at the row's right end
        self._spacing = spacing
        super().__init__(parent)
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    # -- what it holds --------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add_to_end(self, widget: QWidget) -> None:
        """Add ``widget`` after a gap that pushes it (and later ones) to the right of its row."""
        self.addWidget(widget)
        self._end.add(id(self._items[-1]))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        if not 0 <= index < len(self._items):
            return None
        item = self._items.pop(index)
        self._end.discard(id(item))
        return item

    def spacing(self) -> int:
        return self._spacing

    def setSpacing(self, spacing: int) -> None:
        self._spacing = spacing
        self.invalidate()

    # -- sizes ----------------------------------------------------------------------------------
    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def sizeHint(self) -> QSize:
        """Everything on one row (what it would like)."""
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._spacing * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        """The widest item alone on a row: never wider, however many items there are."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items in rows within ``rect`` (or only measure); the height the rows take."""
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        rows: list[list[QLayoutItem]] = [[]]
        x = 0
        for item in self._shown():
            width = min(item.sizeHint().width(), area.width())
            if rows[-1] and x + width > area.width():
                rows.append([])
                x = 0
            rows[-1].append(item)
            x += width + self._spacing
        y = area.y()
        for row in rows:
            if not row:
                continue
            height = max(i.sizeHint().height() for i in row)
            if move:
                self._place_row(row, area, y, height)
            y += height + self._spacing
        used = y - self._spacing - area.y() if any(rows) else 0
        return used + margins.top() + margins.bottom()

    def _place_row(self, row: list[QLayoutItem], area: QRect, y: int, height: int) -> None:
        widths = [min(i.sizeHint().width(), area.width()) for i in row]
        first_end = next((n for n, i in enumerate(row) if id(i) in self._end), len(row))
        end_width = sum(widths[first_end:]) + self._spacing * max(0, len(row) - first_end - 1)
        x = area.x()
        for n, (item, width) in enumerate(zip(row, widths, strict=True)):
            if n == first_end:
                x = max(x, area.right() + 1 - end_width)
            item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
            x += width + self._spacing
