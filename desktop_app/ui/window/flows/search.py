"""Search across conversations (Ctrl+K): the chosen message opens, scrolled into view."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.conversation.chat_view import ChatView

if TYPE_CHECKING:  # imported when first opened, not while the window opens
    from desktop_app.ui.sidebar.search_dialog import SearchDialog


class ConversationSearch(QObject):
    """Opens the search dialog (one per window) and goes to the message chosen in it: scrolled to
    where the conversation shown has it, else its conversation opens at it (``open_at``)."""

    def __init__(
        self,
        controller: ChatController,
        view: ChatView,
        open_at: Callable[[str, str, str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._view = view
        self._open_at = open_at
        self._parent = parent
        self.dialog: SearchDialog | None = None

    @Slot()
    def open_search(self) -> None:
        store = self._controller.store
        if store is None:
            return
        if self.dialog is None:
            from desktop_app.ui.sidebar.search_dialog import SearchDialog

            self.dialog = SearchDialog(store, self._parent)
            self.dialog.message_chosen.connect(self.show_message)
        self.dialog.show_search()

    @Slot(str, str)
    def show_message(self, conversation_id: str, message_id: str) -> None:
        """Go to the message, with the exact place it matched highlighted, even in a long reply."""
        query = self.dialog.query.text() if self.dialog is not None else ""
        current = self._controller.conversation
        if current is not None and current.id == conversation_id:
            if not self._view.show_match(message_id, query):
                # Sent in this window since it opened: reload to know where each message is.
                self._controller.conversation = None
                self._open_at(conversation_id, message_id, query)
            return
        self._open_at(conversation_id, message_id, query)
