"""Sign in with GitHub: the window that follows the CLI's browser sign-in from start to end.

Non-modal (the chat window stays usable) and one per window. It shows each ``SignInState``: waiting
for the browser, with GitHub's link to copy or open again, and Cancel; the keychain question; a failure
in the user's words with Try again; done. The terminal command stays available under "Sign in from a
terminal instead". Everything the CLI or GitHub says is shown as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.vocabulary.account import SignInState, Stage
from desktop_app.ui.controller.account import AccountControl
from desktop_app.ui.platform.live_palette import keep_style_sheet

TITLE = "Sign in with GitHub"


def plain_label(text: str, parent: QWidget, selectable: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SignInDialog(QDialog):
    """Signals:
    signed_in(str): the sign-in finished, as this login.
    """

    signed_in = Signal(str)

    def __init__(self, account: AccountControl, login_command: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(460)
        self._account = account
        self._url = ""
        layout = QVBoxLayout(self)
        self.status = plain_label("", self)
        self.status.setAccessibleName("Sign-in status")
        layout.addWidget(self.status)
        self.link = QLineEdit(self)  # one line, all of it selectable: a URL has no place to wrap
        self.link.setReadOnly(True)
        self.link.setAccessibleName("GitHub sign-in link")
        layout.addWidget(self.link)
        self.browser_note = plain_label(
            "Your browser did not open. Copy the link and open it in your browser.", self
        )
        self.browser_note.hide()
        layout.addWidget(self.browser_note)

        buttons = QHBoxLayout()
        self.copy_link_button = QPushButton("&Copy link", self)
        self.open_again_button = QPushButton("&Open the page again", self)
        self.allow_button = QPushButton("&Save and sign in", self)
        self.decline_button = QPushButton("&Don't save", self)
        self.retry_button = QPushButton("&Try again", self)
        self.cancel_button = QPushButton("Cancel", self)
        self.close_button = QPushButton("Close", self)
        for button in (
            self.copy_link_button,
            self.open_again_button,
            self.allow_button,
            self.decline_button,
            self.retry_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.details_toggle = QToolButton(self)
        self.details_toggle.setText("Sign in from a terminal instead")
        self.details_toggle.setCheckable(True)
        self.details_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_toggle.setArrowType(Qt.ArrowType.RightArrow)
        layout.addWidget(self.details_toggle)
        self.details = QFrame(self)
        details_layout = QVBoxLayout(self.details)
        details_layout.setContentsMargins(16, 0, 0, 0)
        details_layout.addWidget(
            plain_label(
                "Run this in a terminal (it uses the same folders as this app), then press Re-check:", self
            )
        )
        self.command = plain_label(login_command, self.details, selectable=True)
        self.command.setAccessibleName("Sign-in command")
        keep_style_sheet(self.command, "font-family: monospace;")  # re-polished per theme
        details_layout.addWidget(self.command)
        command_row = QHBoxLayout()
        self.copy_command_button = QPushButton("Copy co&mmand", self.details)
        self.copy_command_button.setAutoDefault(False)
        command_row.addWidget(self.copy_command_button)
        command_row.addStretch(1)
        details_layout.addLayout(command_row)
        self.details.hide()
        layout.addWidget(self.details)

        self.details_toggle.toggled.connect(self._show_details)
        self.copy_link_button.clicked.connect(lambda: self._copy(self._url))
        self.copy_command_button.clicked.connect(lambda: self._copy(self.command.text()))
        self.open_again_button.clicked.connect(account.open_page)
        self.allow_button.clicked.connect(lambda: account.answer_consent(True))
        self.decline_button.clicked.connect(lambda: account.answer_consent(False))
        self.retry_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel)
        self.close_button.clicked.connect(self.close)
        account.sign_in_changed.connect(self.show_state)
        account.browser_failed.connect(self._browser_failed)
        self.show_state(SignInState(Stage.STARTING))

    @Slot()
    def start(self) -> None:
        """Begin a sign-in (again) and show it."""
        self.browser_note.hide()
        self.show_state(SignInState(Stage.STARTING))
        self._account.sign_in()

    @Slot(SignInState)
    def show_state(self, state: SignInState) -> None:
        stage = state.stage
        texts = {
            Stage.STARTING: "Opening GitHub's sign-in page…",
            Stage.WAITING: "Finish signing in in your browser. Waiting for GitHub…\n"
            "If the browser did not open, copy this link into it:",
            Stage.CONSENT: state.message,
            Stage.DONE: f"Signed in as {state.login}." if state.login else "Signed in.",
            Stage.FAILED: state.message,
            Stage.CANCELLED: "Sign-in cancelled.",
        }
        self.status.setText(texts[stage])
        if state.url:
            self._url = state.url
        waiting = stage is Stage.WAITING
        self.link.setText(self._url if waiting else "")
        self.link.setVisible(waiting)
        self.copy_link_button.setVisible(waiting and bool(self._url))
        self.open_again_button.setVisible(waiting and bool(self._url))
        self.allow_button.setVisible(stage is Stage.CONSENT)
        self.decline_button.setVisible(stage is Stage.CONSENT)
        self.retry_button.setVisible(stage in (Stage.FAILED, Stage.CANCELLED))
        self.cancel_button.setVisible(not state.finished)
        self.close_button.setVisible(state.finished)
        if not waiting:
            self.browser_note.hide()
        self.link.setCursorPosition(0)
        self.adjustSize()  # each stage has its own words and buttons
        if stage is Stage.DONE:
            self.signed_in.emit(state.login)
        (self.cancel_button if not state.finished else self.close_button).setFocus()

    @Slot(str)
    def _browser_failed(self, _url: str) -> None:
        self.browser_note.show()

    @Slot(bool)
    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _copy(self, text: str) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None and text:
            clipboard.setText(text)

    @Slot()
    def _cancel(self) -> None:
        self._account.cancel_sign_in()

    def reject(self) -> None:
        """Esc or the window's close button: a sign-in still waiting is cancelled, not left running."""
        state = self._account.sign_in_state
        if state is not None and not state.finished:
            self._account.cancel_sign_in()
        super().reject()
