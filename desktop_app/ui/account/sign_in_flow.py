"""Where a window's "Sign in with GitHub" leads: its one sign-in window, opened and started."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from desktop_app.ui.controller.controller import ChatController

if TYPE_CHECKING:  # imported when first opened (~5 ms), not while the window opens
    from desktop_app.ui.account.sign_in_dialog import SignInDialog


class SignInFlow(QObject):
    """``open`` shows the sign-in window and starts a sign-in (one already waiting is shown as is)."""

    def __init__(self, controller: ChatController, parent: QWidget) -> None:
        super().__init__(parent)
        self._controller = controller
        self._parent = parent
        self.dialog: SignInDialog | None = None

    @Slot()
    def open(self) -> None:
        if self.dialog is None:
            from desktop_app.ui.account.sign_in_dialog import SignInDialog

            self.dialog = SignInDialog(
                self._controller.account, self._controller.login_command(), self._parent
            )
        dialog = self.dialog
        state = self._controller.account.sign_in_state
        running = state is not None and not state.finished
        if not running:
            dialog.start()
        dialog.show()  # not exec(): no nested event loop under qasync, and the window stays usable
        dialog.raise_()
        dialog.activateWindow()

    @Slot()
    def sign_out(self) -> None:
        self._controller.account.sign_out()
