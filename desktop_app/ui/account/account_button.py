"""The account at a glance, in the status bar: "octocat · Pro", or "Not signed in".

Its menu holds what one does with an account: Sign in with GitHub…, switching to another account the
CLI holds, Sign out. Logins come from GitHub and are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.core.vocabulary.account import AccountState
from desktop_app.ui.controller.account import AccountControl

SIGNED_OUT_TEXT = "Not signed in"


def account_text(state: AccountState) -> str:
    if state.account is None:
        return SIGNED_OUT_TEXT
    return f"{state.account.label} · {state.plan}" if state.plan else state.account.label


class AccountButton(QToolButton):
    """Shows ``AccountControl.state``; ``open_sign_in`` opens the window's sign-in window."""

    def __init__(self, account: AccountControl, open_sign_in: Callable[[], None], parent: QWidget) -> None:
        super().__init__(parent)
        self._account = account
        self._open_sign_in = open_sign_in
        self.setAccessibleName("Account")
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.account_menu = QMenu(self)
        self.setMenu(self.account_menu)
        account.state_changed.connect(self.show_state)
        self.show_state(account.state)

    @Slot(AccountState)
    def show_state(self, state: AccountState) -> None:
        self.setText(account_text(state))
        if state.account is None:
            tip = "Not signed in to GitHub: click to sign in"
        else:
            plan = f" on Copilot {state.plan}" if state.plan else ""
            tip = f"Signed in to GitHub as {state.account.label}{plan}"
        self.setToolTip(rich_text_tooltip(tip))
        menu = self.account_menu
        menu.clear()
        if state.account is not None:
            header = QAction(f"Signed in as {state.account.label}", menu)
            header.setEnabled(False)
            menu.addAction(header)
            for other in state.others:
                switch = menu.addAction(f"Switch to {other.label}")
                switch.triggered.connect(lambda _=False, a=other: self._account.switch_to(a))
            menu.addSeparator()
            menu.addAction("Sign in with another account…").triggered.connect(self._open_sign_in)
            menu.addAction("Sign out").triggered.connect(lambda: self._account.sign_out())
        else:
            menu.addAction("Sign in with GitHub…").triggered.connect(self._open_sign_in)
