"""The conversation's mode (Chat, Agent, Plan, Autopilot), and the folder the agent modes work in
(a folder the user picked): Chat at once; an agent mode at once when a folder is chosen already,
else once one is."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.platform.file_dialogs import folder_dialog, show_in


class AgentMode(QObject):
    """The mode picker's choice; ``show_access`` puts the pickers back when the folder dialog is
    cancelled."""

    def __init__(
        self,
        controller: ChatController,
        mode_picker: QComboBox,
        show_access: Callable[[ToolAccess], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._mode_picker = mode_picker
        self._show_access = show_access
        self._parent = parent
        self._folder_dialog: QFileDialog | None = None
        self._wanted: Mode | None = None  # the agent mode the folder dialog is open for
        self._then_send = ""  # ``/plan <request>``: sent once the mode is set

    @Slot(int)
    def mode_picked(self, index: int) -> None:
        self.choose(Mode(self._mode_picker.itemData(index)))

    def choose(self, mode: Mode, then_send: str = "") -> None:
        """Switch to ``mode`` (asking for a folder first when there is none), then send ``then_send``."""
        current = self._controller.access()
        self._then_send = then_send
        if mode is current.mode:
            self._send_wanted()
        elif mode is Mode.CHAT:
            self._set(ToolAccess())
        elif current.mode.agentic:
            self._set(ToolAccess(mode, current.working_directory))
        else:
            self._wanted = mode
            self.choose_folder()

    def _set(self, access: ToolAccess) -> None:
        action = self._controller.set_access(access)
        if self._then_send:  # once the session is in the mode
            action.add_done_callback(lambda _task: self._send_wanted())

    def _send_wanted(self) -> None:
        prompt, self._then_send = self._then_send, ""
        if prompt:
            self._controller.send(prompt)

    def _cancelled(self) -> None:
        self._wanted, self._then_send = None, ""
        self._show_access(self._controller.access())

    @Slot()
    def choose_folder(self) -> None:
        """The agent modes need a folder the user picked; the dialog is not modal (no nested loop)."""
        if self._folder_dialog is None:
            dialog = folder_dialog(self._parent, "Choose the folder Copilot may work in")
            dialog.fileSelected.connect(self.use_folder)
            dialog.rejected.connect(self._cancelled)
            self._folder_dialog = dialog
        show_in(self._folder_dialog, self._controller.access().working_directory)  # else the last or home
        self._folder_dialog.open()

    @Slot(str)
    def use_folder(self, folder: str) -> None:
        if not folder:
            return
        current = self._controller.access().mode
        mode = self._wanted or (current if current.agentic else Mode.AGENT)
        self._wanted = None
        self._set(ToolAccess(mode, folder))
