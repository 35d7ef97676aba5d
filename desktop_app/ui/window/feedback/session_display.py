"""What the session is, shown where the user looks: the source, the mode and folder, MCP servers.
(Its compactions are transcript lines: the reply presenter shows them.)"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from desktop_app.core.config.mcp_status import McpStatuses
from desktop_app.core.config.settings import Source
from desktop_app.core.vocabulary.access import ToolAccess
from desktop_app.core.vocabulary.events import McpServerChanged
from desktop_app.core.vocabulary.targets import author_label
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.window.chrome.session_chips import SessionChips
from desktop_app.ui.window.chrome.toolbar import ChatToolBar
from desktop_app.ui.window.status_bar import ChatStatusBar


class SessionDisplay(QObject):
    """Keeps the toolbar's source (said there only), the chips and the status bar in step with the
    session; a change of mode can change what the tool panel shows (``follow_panel``)."""

    def __init__(
        self,
        controller: ChatController,
        toolbar: ChatToolBar,
        chips: SessionChips,
        status: ChatStatusBar,
        view: ChatView,
        follow_panel: Callable[[], None],
    ) -> None:
        super().__init__(status)
        self._controller = controller
        self._toolbar = toolbar
        self._chips = chips
        self._status = status
        self._view = view
        self._follow_panel = follow_panel
        self.mcp_statuses = McpStatuses()  # this window's MCP servers, as the session reports them

    @Slot(str)
    def show_source(self, label: str) -> None:
        # The source is said once, in the toolbar (not also in the status bar and the empty view).
        self._view.set_placeholder("Enter sends · Shift+Enter adds a line · Esc stops a reply")
        settings = self._controller.settings  # who a reply is from, above it
        self._view.author = author_label(settings.source.value, settings.endpoint_model)
        self._toolbar.show_source(label, self._controller.settings.source is Source.DEMO)

    @Slot(ToolAccess)
    def show_access(self, access: ToolAccess) -> None:
        self._chips.show_access(access)
        if not access.mode.agentic and self.mcp_statuses.summary:  # MCP runs in Agent mode only
            self.mcp_statuses.clear()
            self._status.show_mcp("", "")
        self._follow_panel()

    @Slot(McpServerChanged)
    def mcp_status(self, event: McpServerChanged) -> None:
        if event.problem:
            self._view.add_notice(event.problem, "warning")
        self.mcp_statuses.update(event)
        self._status.show_mcp(self.mcp_statuses.summary, self.mcp_statuses.details)
