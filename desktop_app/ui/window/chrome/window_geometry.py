"""Where a window is, how big, and what it shows: saved when the app closes, restored at the start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from desktop_app.core.config.window_state import WindowState
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.window.chrome.panel_toggle import ToolPanelToggle


class WindowGeometry:
    """The ``WindowState`` of ``window``: its normal geometry, maximized or not, its conversation and
    the user's choice for the tool panel."""

    def __init__(self, window: QMainWindow, controller: ChatController, panel: ToolPanelToggle) -> None:
        self._window = window
        self._controller = controller
        self._panel = panel

    def state(self) -> WindowState:
        window = self._window
        rect = window.normalGeometry() if window.isMaximized() else window.geometry()
        conversation = self._controller.conversation
        return WindowState(
            conversation.id if conversation is not None else None,
            rect.x(),
            rect.y(),
            rect.width(),
            rect.height(),
            window.isMaximized(),
            self._panel.choice,
        )

    def restore(self, state: WindowState) -> None:
        window = self._window
        window.setGeometry(state.x, state.y, state.width, state.height)
        self._panel.restore(state.tool_panel)
        if state.maximized:
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
