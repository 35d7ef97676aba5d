"""Which conversation the window shows: its messages, its draft in the composer, its title."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from desktop_app import APP_NAME
from desktop_app.core.storage.conversation_store import title_from_prompt
from desktop_app.core.storage.models import ConversationWithMessages
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.sidebar.conversation_list import ConversationSidebar
from desktop_app.ui.window.flows.sending import Sending


class OtherWindow(Protocol):
    def bring_to_front(self) -> None: ...


class ShownConversation(QObject):
    """Opens, starts and shows conversations in ``window``; ``layout_changed`` tells the app.

    A conversation lives in one window: ``owner_of`` says which window has it open, and asking for
    one that is open elsewhere brings that window forward instead.
    """

    def __init__(
        self,
        window: QWidget,
        controller: ChatController,
        view: ChatView,
        sending: Sending,
        sidebar: ConversationSidebar | None,
        owner_of: Callable[[str], OtherWindow | None],
        layout_changed: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._this_window: object = window  # what ``owner_of`` answers for the conversations here
        self._controller = controller
        self._view = view
        self._sending = sending
        self._sidebar = sidebar
        self._owner_of = owner_of
        self._layout_changed = layout_changed
        self._scroll_target: str | None = None
        self._scroll_query = ""

    @Slot()
    def new(self) -> None:
        self._sending.save_draft()
        self._controller.new_conversation()

    @Slot(str)
    def open(self, conversation_id: str) -> None:
        owner = self._owner_of(conversation_id)
        if owner is not None and owner is not self._this_window:
            owner.bring_to_front()  # open in another window already: go there, never open it twice
            if self._sidebar is not None:
                current = self._controller.conversation
                self._sidebar.select(current.id if current else None)
            return
        self._sending.save_draft()
        self._controller.open_conversation(conversation_id)

    def open_at(self, conversation_id: str, message_id: str, query: str = "") -> None:
        """Open a conversation scrolled to one of its messages (``query`` highlighted in it)."""
        self._scroll_target = message_id
        self._scroll_query = query
        self.open(conversation_id)

    @Slot(object)
    def opened(self, opened: ConversationWithMessages | None) -> None:
        if opened is None:
            self._view.clear_conversation()
            self._sending.show_draft(self._controller.draft())
            self.show_title("")
        else:
            self._view.show_messages(opened.messages, opened.tool_calls, opened.conversation.provider)
            self._sending.show_draft(opened.conversation.draft)
            self.show_title(opened.conversation.title)
            if self._scroll_target is not None:
                self._view.show_match(self._scroll_target, self._scroll_query)
        self._scroll_target = None
        if self._sidebar is not None:
            self._sidebar.select(None if opened is None else opened.conversation.id)
        self._sending.phase_changed(self._controller.phase)
        self._sending.focus_composer()
        self._layout_changed()

    @Slot(str)
    def prompt_sent(self, text: str) -> None:
        self._layout_changed()  # a new conversation exists now
        if self._window.windowTitle() == APP_NAME:
            self.show_title(title_from_prompt(text))
        conversation = self._controller.conversation
        if self._sidebar is not None and conversation is not None:
            self._sidebar.select(conversation.id)

    @Slot(str)
    def show_title(self, title: str) -> None:
        self._window.setWindowTitle(f"{title[:60]} — {APP_NAME}" if title else APP_NAME)
