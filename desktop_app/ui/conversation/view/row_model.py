"""The conversation's rows as a list model: the item view's machinery, and one accessible item per
message for assistive technology (each reads as its author and its text)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from desktop_app.ui.conversation.view.rows import Row

AnyIndex = QModelIndex | QPersistentModelIndex


class RowModel(QAbstractListModel):
    """The rows, for the item view's machinery and assistive technology (one item per message)."""

    def __init__(self, rows: list[Row], text_of: Callable[[int], str], parent: QWidget) -> None:
        super().__init__(parent)
        self.rows = rows
        self._text_of = text_of

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text_of(index.row())
        return None
