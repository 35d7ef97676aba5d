"""A conversation moved to the trash from the sidebar, with Undo on the banner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.window.banner import Banner


class TrashFlow(QObject):
    """The sidebar has trashed it already; this window leaves it if it shows it (saving the draft
    first, with ``save_draft``) and offers Undo, which restores it."""

    def __init__(self, controller: ChatController, banner: Banner, save_draft: Callable[[], None]) -> None:
        super().__init__(banner)
        self._controller = controller
        self._banner = banner
        self._save_draft = save_draft

    @Slot(str, str)
    def trashed(self, conversation_id: str, title: str) -> None:
        current = self._controller.conversation
        if current is None or current.id != conversation_id:
            self.offer_undo(conversation_id, title)
            return
        self._save_draft()
        switched = self._controller.new_conversation()  # Undo is offered once it cleared the banner
        switched.add_done_callback(lambda _task: self.offer_undo(conversation_id, title))

    def offer_undo(self, conversation_id: str, title: str) -> None:
        store = self._controller.store
        assert store is not None

        def undo() -> None:
            store.restore(conversation_id)
            self._banner.clear()

        name = title or "New conversation"
        self._banner.show_message(f"Moved “{name}” to the trash.", "info", [("Undo", undo)])
