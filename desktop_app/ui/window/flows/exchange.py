"""Export and import from the window's menu: this conversation, all of them, backups, CLI sessions.

``data_actions`` (the exporters and the JSON import, ~15 ms) is imported at the first use, not
while the window opens.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from desktop_app.ui.controller.controller import ChatController


class ExchangeFlows(QObject):
    """Each command opens its file dialog on ``parent`` (or runs) and says how it went in ``report``
    (text, level); without a conversation store there is nothing to do."""

    def __init__(
        self, controller: ChatController, report: Callable[[str, str], None], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._report = report
        self._parent = parent

    @Slot()
    def export_current(self) -> None:
        store, conversation = self._controller.store, self._controller.conversation
        if store is None:
            return
        if conversation is None:
            self._report("Send a message first: this conversation is still empty.", "info")
            return
        from desktop_app.ui.window.data_actions import ask_export

        ask_export(self._parent, store, [conversation.id], conversation.title, self._report)

    @Slot()
    def export_all(self) -> None:
        if self._controller.store is not None:
            from desktop_app.ui.window.data_actions import JSON_BACKUP, ask_export

            store = self._controller.store
            ask_export(self._parent, store, None, "copilot-conversations", self._report, JSON_BACKUP)

    @Slot()
    def import_file(self) -> None:
        if self._controller.store is not None:
            from desktop_app.ui.window.data_actions import ask_import

            ask_import(self._parent, self._controller.store, self._report)

    @Slot()
    def import_cli_sessions(self) -> None:
        if self._controller.store is not None:
            self._report("Reading the Copilot CLI's sessions…", "info")
            self._controller.import_cli_sessions(self._report)
