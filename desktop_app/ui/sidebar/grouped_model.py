"""The conversation list with a header row before each date group (Pinned, Today, Yesterday, …).

Header rows are neither enabled nor selectable, so clicks and the keyboard pass them by. The store
lists pinned first, then newest first, so each group is one run of rows and a header goes wherever
the group changes. Pages the source appends add rows at the end here too (nothing above moves).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, QTimer, Slot

from desktop_app.core.conversation.date_groups import Group, group_of, next_day_start
from desktop_app.ui.sidebar.conversation_model import AnyIndex, ConversationListModel, IdRole

HeaderRole = Qt.ItemDataRole.UserRole + 10  # a header row's label (a Group's value); None on a conversation's

Entry = Group | int  # a header, or the source row of a conversation


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


class GroupedConversationModel(QAbstractListModel):
    """``source``'s rows under date headers, grouped as of ``now()`` (regrouped at local midnight)."""

    def __init__(
        self,
        source: ConversationListModel,
        now: Callable[[], dt.datetime] = local_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.now = now
        self._entries: list[Entry] = []
        self._row_of: dict[int, int] = {}  # source row -> row here
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self.regroup)
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._source_reset)
        source.rowsInserted.connect(self._source_rows_inserted)
        source.dataChanged.connect(self._source_data_changed)
        self._set(self._build())
        self._arm_midnight()

    def _set(self, entries: list[Entry]) -> None:
        self._entries = entries
        self._row_of = {e: row for row, e in enumerate(entries) if not isinstance(e, Group)}

    def _build(self, first: int = 0, last: Group | None = None) -> list[Entry]:
        """Entries for the source's rows from ``first`` on, after a run of group ``last``."""
        now = self.now()
        entries: list[Entry] = []
        for row in range(first, self.source.rowCount()):
            conversation = self.source.conversation_at(row)
            assert conversation is not None
            group = group_of(conversation.updated_at, now, conversation.pinned)
            if group is not last:
                entries.append(group)
                last = group
            entries.append(row)
        return entries

    def _last_group(self) -> Group | None:
        return next((e for e in reversed(self._entries) if isinstance(e, Group)), None)

    def _arm_midnight(self) -> None:
        now = self.now()
        seconds = (next_day_start(now) - now).total_seconds()
        self._midnight.start(int(min(max(seconds, 1.0), 86400.0) * 1000) + 500)

    @Slot()
    def regroup(self) -> None:
        """Group again (the day changed, or ``now`` did in a test)."""
        self.beginResetModel()
        self._set(self._build())
        self.endResetModel()
        self._arm_midnight()

    @Slot()
    def _source_reset(self) -> None:
        self._set(self._build())
        self.endResetModel()

    @Slot(QModelIndex, int, int)
    def _source_rows_inserted(self, _parent: QModelIndex, first: int, _last: int) -> None:
        old = len(self._entries)
        if first != len(self._row_of):  # not a page appended at the end: start again
            self.regroup()
            return
        tail = self._build(first, self._last_group())
        if tail:
            self.beginInsertRows(QModelIndex(), old, old + len(tail) - 1)
            self._set(self._entries + tail)
            self.endInsertRows()

    @Slot(QModelIndex, QModelIndex)
    def _source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        for source_row in range(top_left.row(), bottom_right.row() + 1):
            if (row := self._row_of.get(source_row)) is not None:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    # -- mapping ---------------------------------------------------------------------------------

    def source_index(self, index: AnyIndex) -> QModelIndex:
        """The source's index for a conversation's row (invalid for a header)."""
        entry = self._entry(index)
        return self.source.index(entry) if isinstance(entry, int) else QModelIndex()

    def index_of(self, conversation_id: str) -> QModelIndex:
        """This model's index of that conversation (invalid if not listed)."""
        row = self._row_of.get(self.source.row_of(conversation_id))
        return QModelIndex() if row is None else self.index(row)

    def is_header(self, index: AnyIndex) -> bool:
        return isinstance(self._entry(index), Group)

    def _entry(self, index: AnyIndex) -> Entry | None:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        return self._entries[index.row()]

    # -- the model -------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self._entry(index)
        if isinstance(entry, Group):
            roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, HeaderRole)
            return entry.value if role in roles else None
        if entry is None or role == HeaderRole:
            return None
        return self.source.data(self.source.index(entry), role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        entry = self._entry(index)
        if isinstance(entry, Group):
            return Qt.ItemFlag.ItemNeverHasChildren  # not enabled, not selectable: passed by
        if entry is None:
            return Qt.ItemFlag.NoItemFlags
        return self.source.flags(self.source.index(entry)) | Qt.ItemFlag.ItemNeverHasChildren

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        source = self.source_index(index)
        return source.isValid() and self.source.setData(source, value, role)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.source.canFetchMore()

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self.source.fetchMore()

    def conversation_ids(self) -> list[str]:
        """The listed conversations' ids, top to bottom (for tests and the keyboard)."""
        return [self.source.index(e).data(IdRole) for e in self._entries if not isinstance(e, Group)]
