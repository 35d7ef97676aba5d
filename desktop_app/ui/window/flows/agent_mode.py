"""Chat or Agent mode, and the folder Agent mode works in (a folder the user picked)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.platform.file_dialogs import folder_dialog, show_in


class AgentMode(QObject):
    """The mode picker's choice: Chat at once, Agent once a folder is chosen; ``show_access``
    puts the pickers back when the folder dialog is cancelled."""

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

    @Slot(int)
    def mode_picked(self, index: int) -> None:
        mode = Mode(self._mode_picker.itemData(index))
        current = self._controller.access()
        if mode is current.mode:
            return
        if mode is Mode.CHAT:
            self._controller.set_access(ToolAccess())
        else:
            self.choose_folder()

    @Slot()
    def choose_folder(self) -> None:
        """Agent mode needs a folder the user picked; the dialog is not modal (no nested loop)."""
        if self._folder_dialog is None:
            dialog = folder_dialog(self._parent, "Choose the folder Copilot may work in")
            dialog.fileSelected.connect(self.use_folder)
            dialog.rejected.connect(lambda: self._show_access(self._controller.access()))
            self._folder_dialog = dialog
        show_in(self._folder_dialog, self._controller.access().working_directory)  # else the last or home
        self._folder_dialog.open()

    @Slot(str)
    def use_folder(self, folder: str) -> None:
        if folder:
            access = ToolAccess(Mode.AGENT, folder)
            self._controller.set_access(access)
