"""The sidebar's list view: frameless, rows that light up under the mouse, a "⋯" button per row,
and a keyboard that steps over the group headers."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QWidget

from desktop_app.ui.sidebar import sidebar_look as look
from desktop_app.ui.sidebar.grouped_model import HeaderRole
from desktop_app.ui.sidebar.row_delegate import RowDelegate

Move = QAbstractItemView.CursorAction


class ConversationView(QListView):
    """Signals:
    more_clicked(QModelIndex, QPoint): the "⋯" of that row was clicked; open its menu at the point
    (global coordinates).
    """

    more_clicked = Signal(QModelIndex, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        # Before any Qt call: the overridden virtuals below use these.
        self.row_delegate = RowDelegate()
        self.empty_text = ""
        self._more_press = False
        super().__init__(parent)
        self.row_delegate.setParent(self)
        self.setItemDelegate(self.row_delegate)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlternatingRowColors(False)
        self.setMouseTracking(True)
        self.setUniformItemSizes(False)  # headers are shorter than rows
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # F2 is the sidebar's
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.setBackgroundRole(QPalette.ColorRole.Window)

    # -- the keyboard: headers are passed by ------------------------------------------------------

    def moveCursor(self, action: Move, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        index = super().moveCursor(action, modifiers)
        model = self.model()
        if model is None or not index.isValid() or index.data(HeaderRole) is None:
            return index
        step = -1 if action in (Move.MoveUp, Move.MovePageUp, Move.MovePrevious) else 1
        row = index.row()
        while 0 <= row < model.rowCount() and model.index(row, 0).data(HeaderRole) is not None:
            row += step
        if not 0 <= row < model.rowCount():  # nothing past the header that way: stay put
            return self.currentIndex()
        return model.index(row, 0)

    # -- the mouse: hover and the "⋯" button -------------------------------------------------------

    def _on_more(self, index: QModelIndex, point: QPoint) -> bool:
        """Whether ``point`` is on the row's "⋯" (shown under the mouse, so any click there is on it)."""
        if not index.isValid() or index.data(HeaderRole) is not None:
            return False
        return look.more_button(self.visualRect(index)).contains(point)

    def _set_hover(self, index: QModelIndex, on_more: bool) -> None:
        old = self.hovered_index()
        if old == index and self.row_delegate.more_hovered == on_more:
            return
        self.row_delegate.hovered = QPersistentModelIndex(index)
        self.row_delegate.more_hovered = on_more
        for changed in (old, index):
            if changed.isValid():
                self.viewport().update(self.visualRect(changed))

    def hovered_index(self) -> QModelIndex:
        """The conversation's row under the mouse (invalid when none)."""
        hovered, model = self.row_delegate.hovered, self.model()
        if not hovered.isValid() or model is None:
            return QModelIndex()
        return model.index(hovered.row(), 0)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        index = self.indexAt(point)
        header = index.isValid() and index.data(HeaderRole) is not None
        self._set_hover(QModelIndex() if header else index, self._on_more(index, point))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._set_hover(QModelIndex(), False)
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        index = self.indexAt(point)
        if event.button() == Qt.MouseButton.LeftButton and self._on_more(index, point):
            self._more_press = True  # the row's menu, not opening the conversation
            self.setCurrentIndex(index)
            rect = look.more_button(self.visualRect(index))
            self.more_clicked.emit(index, self.viewport().mapToGlobal(rect.bottomLeft()))
            event.accept()
            return
        self._more_press = False
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._more_press:
            self._more_press = False
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self._on_more(self.indexAt(event.position().toPoint()), event.position().toPoint()):
            event.accept()  # a quick second click on "⋯" is not an open
            return
        super().mouseDoubleClickEvent(event)

    # -- nothing to show ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.empty_text and (model is None or model.rowCount() == 0):
            painter = QPainter(self.viewport())
            painter.setPen(look.header_colour(self.palette()))
            area = self.viewport().rect().adjusted(12, 16, -12, 0)
            flags = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(area, int(flags), self.empty_text)
            painter.end()
