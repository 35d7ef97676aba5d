"""F6 moves between the window's panes, as in a browser or a mail client."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QWidget

from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.composer import Composer
from desktop_app.ui.sidebar.conversation_list import ConversationSidebar
from desktop_app.ui.tools.permission_card import PermissionCard
from desktop_app.ui.tools.tool_panel import ToolPanel


class Panes(QObject):
    """The keyboard's stops in ``window``; panes that are hidden are skipped."""

    def __init__(
        self,
        window: QWidget,
        sidebar: ConversationSidebar | None,
        view: ChatView,
        permission_card: PermissionCard,
        composer: Composer,
        tool_panel: ToolPanel,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._sidebar = sidebar
        self._view = view
        self._permission_card = permission_card
        self._composer = composer
        self._tool_panel = tool_panel

    def stops(self) -> list[QWidget]:
        """The sidebar, the conversation, a waiting request, the composer, the tool panel."""
        stops: list[QWidget] = []
        if self._sidebar is not None and self._sidebar.isVisible():
            stops.append(self._sidebar.list)
        stops.append(self._view)
        if self._permission_card.isVisible():  # a waiting request is a stop of its own
            stops.append(self._permission_card)
        stops.append(self._composer)
        if self._tool_panel.isVisible():
            stops.append(self._tool_panel.list)
        return stops

    @Slot()
    def focus_next(self) -> None:
        stops = self.stops()
        focused = self._window.focusWidget()
        current = next((i for i, w in enumerate(stops) if w is focused or w.isAncestorOf(focused)), -1)
        stops[(current + 1) % len(stops)].setFocus(Qt.FocusReason.TabFocusReason)
