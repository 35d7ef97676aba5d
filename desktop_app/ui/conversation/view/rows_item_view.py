"""The item view's side of a conversation: ``QAbstractItemView``'s geometry API answered from the
rows' own heights, and ``QListView``'s layout of every item switched off.

Qt's list accessibility (one item per message for assistive technology) needs a ``QListView``; its
layout, which sizes every item up front, is what a conversation of any size cannot afford.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QAbstractItemView, QListView

from desktop_app.core.rendering.layout.row_heights import RowHeights
from desktop_app.ui.conversation.view.row_model import AnyIndex, RowModel
from desktop_app.ui.conversation.view.rows import Row


class RowsItemView(QListView):
    """A list view whose rows are placed by ``heights`` and scrolled by pixels; the subclass lays
    them out and paints them."""

    rows: list[Row]
    heights: RowHeights
    row_model: RowModel
    current_row: int  # the message the keyboard is on
    _adjusting: bool  # the view moves itself: not the user's scroll
    _still = False  # it moves itself without what is on screen moving: nothing to paint
    _pinned: bool  # at the end: stays there as rows grow

    def update_range(self) -> None:
        bar = self.verticalScrollBar()
        height = self.viewport().height()
        self._adjusting = True
        bar.setPageStep(height)
        bar.setRange(0, max(0, round(self.heights.total) - height))
        self._adjusting = False

    def _at_end(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    @property
    def pinned(self) -> bool:
        return self._pinned

    def _set_value(self, value: int, repaint: bool = True) -> None:
        """Move without it counting as the user's scroll (and without blitting stale pixels).
        ``repaint=False``: rows off screen changed height and the move keeps the screen as it was."""
        self._adjusting = True
        self._still = not repaint
        self.verticalScrollBar().setValue(value)
        self._adjusting = self._still = False
        if repaint:
            self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        if self._adjusting:
            if not self._still:
                self.viewport().update()
        else:
            self.viewport().scroll(0, dy)

    def visible_rows(self) -> tuple[int, int]:
        """The first and last row on screen ((0, -1) when there are none)."""
        if not self.rows:
            return 0, -1
        value = self.verticalScrollBar().value()
        first = self.heights.row_at(value)
        last = self.heights.row_at(value + max(self.viewport().height() - 1, 0))
        return first, last

    def row_top(self, index: int) -> float:
        """Row ``index``'s top in viewport coordinates."""
        return self.heights.top(index) - self.verticalScrollBar().value()

    def row_rect(self, index: int) -> QRectF:
        return QRectF(0, self.row_top(index), self.viewport().width(), self.heights.height(index))

    def scroll_to_row(self, index: int, offset: float = 0.0) -> None:
        raise NotImplementedError

    def updateGeometries(self) -> None:
        # Not QListView's: its scroll range (of its own, unused layout) fights the rows' one.
        QAbstractItemView.updateGeometries(self)
        self.update_range()

    def doItemsLayout(self) -> None:
        """QListView's layout of every item is not used: the rows' heights are this view's."""

    # -- QAbstractItemView's geometry API ---------------------------------------------------
    def visualRect(self, index: AnyIndex) -> QRect:
        if not index.isValid() or index.row() >= len(self.rows):
            return QRect()
        return self.row_rect(index.row()).toAlignedRect()

    def indexAt(self, point: QPoint) -> QModelIndex:
        if not self.rows:
            return QModelIndex()
        row = self.heights.row_at(point.y() + self.verticalScrollBar().value())
        return self.row_model.index(row, 0)

    def scrollTo(
        self, index: AnyIndex, hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
    ) -> None:
        if not index.isValid():
            return
        row = index.row()
        top, height = self.row_top(row), self.heights.height(row)
        if hint == QAbstractItemView.ScrollHint.PositionAtTop or top < 0:
            self.scroll_to_row(row)
        elif top + height > self.viewport().height():
            self.scroll_to_row(row, max(height - self.viewport().height(), 0.0))

    def moveCursor(
        self,
        action: QAbstractItemView.CursorAction,
        modifiers: Qt.KeyboardModifier,
    ) -> QModelIndex:
        step = {
            QAbstractItemView.CursorAction.MoveUp: -1,
            QAbstractItemView.CursorAction.MoveDown: 1,
            QAbstractItemView.CursorAction.MoveHome: -len(self.rows),
            QAbstractItemView.CursorAction.MoveEnd: len(self.rows),
        }.get(action, 0)
        row = min(max(self.current_row + step, 0), len(self.rows) - 1)
        return self.row_model.index(row, 0) if self.rows else QModelIndex()

    def horizontalOffset(self) -> int:
        return 0

    def verticalOffset(self) -> int:
        return self.verticalScrollBar().value()

    def isIndexHidden(self, index: AnyIndex) -> bool:
        return False

    def setSelection(self, rect: QRect, command: QItemSelectionModel.SelectionFlag) -> None:
        """Row selection is not the item view's here: text selection is (see the subclass)."""

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:
        return QRegion()
