"""The tool panel shows itself while it has something to show, until the user decides (Ctrl+J)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.tools.tool_panel import ToolPanel


class ToolPanelToggle(QObject):
    """Drives ``action`` (the checkable Tool panel action): shown in Agent mode or once a tool ran.

    Once the user shows or hides the panel, that is the choice (``choice``), kept with the window.
    """

    def __init__(self, action: QAction, panel: ToolPanel, controller: ChatController) -> None:
        super().__init__(action)
        self.action = action
        self._panel = panel
        self._controller = controller
        self.auto = True  # shown when there is something in it, until the user decides

    @Slot(bool)
    def chosen(self, _shown: bool) -> None:
        self.auto = False

    @Slot()
    def follow(self) -> None:
        """Show or hide the panel for what there is, unless the user chose."""
        if self.auto:
            wanted = self._controller.access().mode.agentic or bool(self._controller.tools.calls)
            self.action.setChecked(wanted)

    @Slot(str)
    def show_call(self, call_id: str) -> None:
        """A tool marker clicked in the conversation: the panel, at that call."""
        self.action.setChecked(True)
        self._panel.select(call_id)

    @property
    def choice(self) -> bool | None:
        """Shown or hidden by the user, or ``None`` while the panel follows what there is."""
        return None if self.auto else self.action.isChecked()

    def restore(self, choice: bool | None) -> None:
        if choice is not None:
            self.auto = False
            self.action.setChecked(choice)
