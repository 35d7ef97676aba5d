"""The sidebar: saved conversations, newest first, pinned on top; rename, pin, move to the trash."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.models import Conversation
from desktop_app.ui.platform.live_palette import keep_style_sheet
from desktop_app.ui.signals.change_relay import IdRelay

ConversationRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


PAGE = 200


class ConversationListModel(QAbstractListModel):
    """The store's conversation list for views; reloads (coalesced) whenever the store changes.

    Rows come in pages as the view scrolls (``fetchMore``), so 10,000 conversations cost no more to
    show than 200.
    """

    def __init__(self, store: ConversationStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._rows: list[Conversation] = []
        self._exhausted = False
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(100)
        self._reload_timer.timeout.connect(self.reload)
        self._relay = IdRelay(store.changed, self)
        self._relay.changed.connect(self._store_changed)
        self.reload()

    def detach(self) -> None:
        """Stop following the store (its window closes; the store may close next)."""
        self._reload_timer.stop()
        self._relay.detach()

    @Slot(str)
    def _store_changed(self, _conversation_id: str) -> None:
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    @Slot()
    def reload(self) -> None:
        """Reload as many rows as are shown now (at least one page)."""
        wanted = max(PAGE, len(self._rows))
        self.beginResetModel()
        self._rows = self.store.list_conversations(limit=wanted)
        self._exhausted = len(self._rows) < wanted
        self.endResetModel()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        more = self.store.list_conversations(limit=PAGE, offset=len(self._rows))
        self._exhausted = len(more) < PAGE
        if more:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        conversation = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            title = conversation.title or "New conversation"
            return f"★ {title}" if conversation.pinned else title
        if role == Qt.ItemDataRole.ToolTipRole:
            when = dt.datetime.fromtimestamp(conversation.updated_at).strftime("%Y-%m-%d %H:%M")
            # A title is model text (or imported): escaped, since Qt reads a tooltip that looks
            # like HTML as HTML.
            return rich_text_tooltip(
                f"{conversation.title}\n{when} · {conversation.model or 'default model'}"
            )
        if role == ConversationRole:
            return conversation
        if role == IdRole:
            return conversation.id
        return None

    def row_of(self, conversation_id: str) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == conversation_id), -1)


class ConversationSidebar(QWidget):
    """Signals:
    conversation_activated(str): the user opened a conversation (its id).
    new_requested(): the user asked for a new conversation.
    trashed(str, str): a conversation went to the trash (id, title), for an Undo offer.
    open_in_new_window(str): the user wants this conversation in a window of its own.
    """

    conversation_activated = Signal(str)
    new_requested = Signal()
    trashed = Signal(str, str)
    open_in_new_window = Signal(str)

    def __init__(self, store: ConversationStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.new_button = QPushButton("New conversation", self)
        self.new_button.setToolTip("New conversation (Ctrl+T)")
        self.new_button.clicked.connect(self.new_requested)
        self.model = ConversationListModel(store, self)
        self.list = QListView(self)
        self.list.setAccessibleName("Conversations")
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setSpacing(2)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        keep_style_sheet(self.list, "QListView::item { padding: 4px 6px; }")  # re-polished per theme
        self.model.modelReset.connect(self._reselect)
        self._selected: str | None = None
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self._add_key(("F2",), self._rename_current)
        self._add_key(("Delete",), self._trash_current)
        self._add_key(("Shift+F10", "Menu"), self._menu_for_current)
        self.list.activated.connect(self._activated)
        self.list.clicked.connect(self._activated)
        layout.addWidget(self.new_button)
        layout.addWidget(self.list, 1)
        self.setMinimumWidth(180)

    @Slot()
    def _reselect(self) -> None:
        self.select(self._selected)

    def select(self, conversation_id: str | None) -> None:
        """Highlight the open conversation (kept across reloads of the list)."""
        self._selected = conversation_id
        row = -1 if conversation_id is None else self.model.row_of(conversation_id)
        if row < 0:
            self.list.clearSelection()
            return
        self.list.setCurrentIndex(self.model.index(row))

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        conversation_id = index.data(IdRole)
        if conversation_id:
            self.conversation_activated.emit(conversation_id)

    def _add_key(self, keys: tuple[str, ...], slot: Callable[[], None]) -> None:
        """A key that acts on the highlighted conversation while the list has focus."""
        action = QAction(self.list)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.list.addAction(action)

    def _current(self) -> Conversation | None:
        conversation = self.list.currentIndex().data(ConversationRole)
        return conversation if isinstance(conversation, Conversation) else None

    @Slot()
    def _rename_current(self) -> None:
        if (conversation := self._current()) is not None:
            self.rename(conversation.id)

    @Slot()
    def _trash_current(self) -> None:
        if (conversation := self._current()) is not None:
            self.trash(conversation.id)

    @Slot()
    def _menu_for_current(self) -> None:
        conversation = self._current()
        if conversation is not None:
            rect = self.list.visualRect(self.list.currentIndex())
            self._show_menu(conversation, self.list.viewport().mapToGlobal(rect.bottomLeft()))

    @Slot(QPoint)
    def _context_menu(self, point: QPoint) -> None:
        conversation = self.list.indexAt(point).data(ConversationRole)
        if isinstance(conversation, Conversation):
            self._show_menu(conversation, self.list.viewport().mapToGlobal(point))

    def _show_menu(self, conversation: Conversation, where: QPoint) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("Open in &new window", lambda: self.open_in_new_window.emit(conversation.id))
        menu.addSeparator()
        rename = menu.addAction("&Rename…", lambda: self.rename(conversation.id))
        rename.setShortcut(QKeySequence("F2"))  # shown as a hint; the list's own key does the work
        menu.addAction(
            "Un&pin" if conversation.pinned else "&Pin to top", lambda: self.toggle_pin(conversation.id)
        )
        menu.addSeparator()
        trash = menu.addAction("Move to &trash", lambda: self.trash(conversation.id))
        trash.setShortcut(QKeySequence("Delete"))
        menu.popup(where)

    def rename(self, conversation_id: str) -> None:
        conversation = self.store.get_conversation(conversation_id)
        if conversation is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename conversation")
        dialog.setLabelText("Title:")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(conversation.title)

        def done(result: int) -> None:
            title = dialog.textValue().strip()
            if result and title:
                self.store.rename(conversation_id, title)

        dialog.finished.connect(done)
        dialog.open()  # not exec(): no nested event loop under qasync

    def toggle_pin(self, conversation_id: str) -> None:
        conversation = self.store.get_conversation(conversation_id)
        if conversation is not None:
            self.store.set_pinned(conversation_id, not conversation.pinned)

    def trash(self, conversation_id: str) -> None:
        conversation = self.store.get_conversation(conversation_id)
        if conversation is None:
            return
        self.store.trash(conversation_id)
        self.trashed.emit(conversation_id, conversation.title)
