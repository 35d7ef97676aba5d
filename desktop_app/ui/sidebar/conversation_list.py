"""The sidebar: saved conversations grouped by date (pinned on top), a filter, and each row's menu
(open in a new window, rename in place, pin, move to the trash) from "⋯", a right-click or the keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.models import Conversation
from desktop_app.ui.platform.icons import icon
from desktop_app.ui.sidebar import sidebar_look as look
from desktop_app.ui.sidebar.conversation_model import (
    PAGE,
    ConversationListModel,
    ConversationRole,
    IdRole,
    TitleRole,
)
from desktop_app.ui.sidebar.conversation_view import ConversationView
from desktop_app.ui.sidebar.grouped_model import GroupedConversationModel, local_now

__all__ = ["PAGE", "ConversationListModel", "ConversationRole", "ConversationSidebar", "IdRole", "TitleRole"]

NO_MATCH = "No conversations match"


class ConversationSidebar(QWidget):
    """Signals:
    conversation_activated(str): the user opened a conversation (its id).
    new_requested(): the user asked for a new conversation.
    trashed(str, str): a conversation went to the trash (id, title), for an Undo offer.
    open_in_new_window(str): the user wants this conversation in a window of its own.

    ``model`` is the flat list (one row per conversation); ``list`` shows it grouped (``grouped``).
    """

    conversation_activated = Signal(str)
    new_requested = Signal()
    trashed = Signal(str, str)
    open_in_new_window = Signal(str)

    def __init__(
        self,
        store: ConversationStore,
        parent: QWidget | None = None,
        now: Callable[[], dt.datetime] = local_now,
    ) -> None:
        self.new_button: QPushButton | None = None  # changeEvent restyles it; Qt may call that early
        super().__init__(parent)
        self.store = store
        self._selected: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        top = QVBoxLayout()
        top.setContentsMargins(look.SIDE_MARGIN, 8, look.SIDE_MARGIN, 2)
        top.setSpacing(6)
        self.new_button = QPushButton(icon("new"), "New conversation", self)
        self.new_button.setToolTip("New conversation (Ctrl+T)")
        self.new_button.setFlat(True)
        self.new_button.clicked.connect(self.new_requested)
        self._restyle()
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter conversations")
        self.filter.setAccessibleName("Filter conversations")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.installEventFilter(self)
        self.model = ConversationListModel(store, self)
        self.grouped = GroupedConversationModel(self.model, now, self)
        self.list = ConversationView(self)
        self.list.setAccessibleName("Conversations")
        self.list.setModel(self.grouped)
        self.model.hold = self._editing
        self.grouped.modelReset.connect(self._reselect)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.more_clicked.connect(self._more_clicked)
        self._add_key(("F2",), self._rename_current)
        self._add_key(("Delete",), self._trash_current)
        self._add_key(("Shift+F10", "Menu"), self._menu_for_current)
        self.list.activated.connect(self._activated)
        self.list.clicked.connect(self._activated)
        top.addWidget(self.new_button)
        top.addWidget(self.filter)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        self.setMinimumWidth(180)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        """The parts a style sheet colours follow the palette (the list's rows read it as they paint)."""
        if self.new_button is not None:
            sheet = look.button_sheet(self.palette())
            if self.new_button.styleSheet() != sheet:
                self.new_button.setStyleSheet(sheet)

    # -- selection -------------------------------------------------------------------------------

    @Slot()
    def _reselect(self) -> None:
        self.select(self._selected)

    def select(self, conversation_id: str | None) -> None:
        """Highlight the open conversation (kept across reloads of the list)."""
        self._selected = conversation_id
        index = QModelIndex() if conversation_id is None else self.grouped.index_of(conversation_id)
        if not index.isValid():
            self.list.clearSelection()
            return
        self.list.setCurrentIndex(index)

    def index_of(self, conversation_id: str) -> QModelIndex:
        """The list's row of that conversation (invalid if it is not listed, say filtered out)."""
        return self.grouped.index_of(conversation_id)

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        conversation_id = index.data(IdRole)
        if conversation_id:
            self.conversation_activated.emit(conversation_id)

    # -- the filter ------------------------------------------------------------------------------

    @Slot(str)
    def _filter_changed(self, text: str) -> None:
        self.model.set_filter(text)
        self.list.empty_text = NO_MATCH if self.model.filter_text else ""
        self.list.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the filter, Down goes to the first conversation and Esc clears the text."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down and self.grouped.conversation_ids():
                self.list.setFocus(Qt.FocusReason.OtherFocusReason)
                self.list.setCurrentIndex(self.grouped.index_of(self.grouped.conversation_ids()[0]))
                return True
            if event.key() == Qt.Key.Key_Escape and self.filter.text():
                self.filter.clear()
                return True
        return super().eventFilter(watched, event)

    # -- keys and menus --------------------------------------------------------------------------

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

    def _editing(self) -> bool:
        return self.list.state() == QAbstractItemView.State.EditingState

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

    @Slot(QModelIndex, QPoint)
    def _more_clicked(self, index: QModelIndex, where: QPoint) -> None:
        conversation = index.data(ConversationRole)
        if isinstance(conversation, Conversation):
            self._show_menu(conversation, where)

    def _show_menu(self, conversation: Conversation, where: QPoint) -> QMenu:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setAccessibleName("Conversation actions")
        conversation_id = conversation.id
        menu.addAction(
            icon("new-window"), "Open in &new window", lambda: self.open_in_new_window.emit(conversation_id)
        )
        menu.addSeparator()
        rename = menu.addAction(icon("edit"), "&Rename", lambda: self.rename(conversation_id))
        rename.setShortcut(QKeySequence("F2"))  # shown as a hint; the list's own key does the work
        if conversation.pinned:
            menu.addAction(icon("unpin"), "Un&pin", lambda: self.toggle_pin(conversation_id))
        else:
            menu.addAction(icon("pin"), "&Pin to top", lambda: self.toggle_pin(conversation_id))
        menu.addSeparator()
        trash = menu.addAction(icon("trash"), "Move to &trash", lambda: self.trash(conversation_id))
        trash.setShortcut(QKeySequence("Delete"))
        menu.popup(where)
        return menu

    # -- actions ---------------------------------------------------------------------------------

    def rename(self, conversation_id: str) -> None:
        """Edit the title in place on its row (Enter keeps it, Esc puts it back); a conversation not
        in the list (filtered out, or not paged in yet) is renamed in a small dialog instead."""
        index = self.grouped.index_of(conversation_id)
        if index.isValid() and self.list.isVisible():
            self.list.setFocus(Qt.FocusReason.OtherFocusReason)
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)
            self.list.edit(index)
            if self._editing():
                return
        self._rename_in_dialog(conversation_id)

    def _rename_in_dialog(self, conversation_id: str) -> None:
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
