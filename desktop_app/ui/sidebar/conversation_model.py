"""The store's conversations as a flat, paged list model (pinned first, newest first), filterable by title."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Slot

from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.models import Conversation
from desktop_app.ui.signals.change_relay import IdRelay

ConversationRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
TitleRole = Qt.ItemDataRole.UserRole + 3  # the title as drawn (no pin mark), "New conversation" if none
AnyIndex = QModelIndex | QPersistentModelIndex

PAGE = 200
UNTITLED = "New conversation"


def shown_title(conversation: Conversation) -> str:
    """The title a row shows (a damaged row may hold a non-text title: shown as text all the same)."""
    return str(conversation.title or UNTITLED)


def _when(updated_at: float) -> str:
    try:
        return dt.datetime.fromtimestamp(updated_at).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return "unknown date"


class ConversationListModel(QAbstractListModel):
    """The store's conversation list for views; reloads (coalesced) whenever the store changes.

    Rows come in pages as the view scrolls (``fetchMore``), so 10,000 conversations cost no more to
    show than 200. ``set_filter`` narrows it to titles holding a text (in SQL, paged the same way).
    A reload waits while ``hold()`` says so (a title being edited in place would lose its editor).
    """

    def __init__(self, store: ConversationStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.hold: Callable[[], bool] = lambda: False
        self._rows: list[Conversation] = []
        self._filter = ""
        self._exhausted = False
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(100)
        self._reload_timer.timeout.connect(self._reload_when_free)
        self._relay = IdRelay(store.changed, self)
        self._relay.changed.connect(self._store_changed)
        self.reload()

    def detach(self) -> None:
        """Stop following the store (its window closes; the store may close next)."""
        self._reload_timer.stop()
        self._relay.detach()

    @property
    def filter_text(self) -> str:
        return self._filter

    def set_filter(self, text: str) -> None:
        """Show only conversations whose title holds ``text`` ("" shows them all)."""
        text = text.strip()
        if text != self._filter:
            self._filter = text
            self._rows = []  # a new filter starts from one page, not from what the old one showed
            self.reload()

    @Slot(str)
    def _store_changed(self, _conversation_id: str) -> None:
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    @Slot()
    def _reload_when_free(self) -> None:
        if self.hold():
            self._reload_timer.start()  # again in a moment
        else:
            self.reload()

    def _page(self, limit: int, offset: int = 0) -> list[Conversation]:
        return self.store.list_conversations(limit=limit, offset=offset, title_contains=self._filter)

    @Slot()
    def reload(self) -> None:
        """Reload as many rows as are shown now (at least one page)."""
        wanted = max(PAGE, len(self._rows))
        self.beginResetModel()
        self._rows = self._page(wanted)
        self._exhausted = len(self._rows) < wanted
        self.endResetModel()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        more = self._page(PAGE, len(self._rows))
        self._exhausted = len(more) < PAGE
        if more:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def conversation_at(self, row: int) -> Conversation | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        conversation = self.conversation_at(index.row()) if index.isValid() else None
        if conversation is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            title = shown_title(conversation)
            return f"★ {title}" if conversation.pinned else title
        if role in (TitleRole, Qt.ItemDataRole.EditRole):
            return shown_title(conversation)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return shown_title(conversation) + self._origin_line(conversation).replace("\n", ", ")
        if role == Qt.ItemDataRole.ToolTipRole:
            # A title is model text (or imported): escaped, since Qt reads a tooltip that looks
            # like HTML as HTML.
            return rich_text_tooltip(
                f"{conversation.title}\n{_when(conversation.updated_at)} · "
                f"{conversation.model or 'default model'}{self._origin_line(conversation)}"
            )
        if role == ConversationRole:
            return conversation
        if role == IdRole:
            return conversation.id
        return None

    def _origin_line(self, conversation: Conversation) -> str:
        """ "Branched from …" for a conversation made with Branch from here ("" for others)."""
        if not conversation.origin_id:
            return ""
        origin = self.store.get_conversation(conversation.origin_id)
        return f"\nBranched from {shown_title(origin) if origin is not None else 'a deleted conversation'}"

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.isValid() else flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A title edited in place: saved, and shown at once (the store's reload follows)."""
        conversation = self.conversation_at(index.row()) if index.isValid() else None
        title = value.strip() if isinstance(value, str) else ""
        if role != Qt.ItemDataRole.EditRole or conversation is None or not title:
            return False
        if title != conversation.title:
            self.store.rename(conversation.id, title)
            self._rows[index.row()] = dataclasses.replace(conversation, title=title)
            self.dataChanged.emit(index, index)
        return True

    def row_of(self, conversation_id: str) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == conversation_id), -1)
