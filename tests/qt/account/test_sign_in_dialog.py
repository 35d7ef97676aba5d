"""The sign-in window: each stage shows its own words and buttons; links and commands copy as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary import notices
from desktop_app.core.vocabulary.account import SignInState, Stage
from desktop_app.ui.account.sign_in_dialog import SignInDialog
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window

URL = "https://github.com/login/oauth/authorize?client_id=x&state=<b>y</b>"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    return offline_window(qtbot, tmp_path)


def dialog_of(window: ChatWindow, qtbot: QtBot) -> SignInDialog:
    dialog = SignInDialog(window.controller.account, "env HOME=/x copilot login", window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def shown(dialog: SignInDialog) -> list[str]:
    buttons = (
        dialog.copy_link_button,
        dialog.open_again_button,
        dialog.allow_button,
        dialog.decline_button,
        dialog.retry_button,
        dialog.cancel_button,
        dialog.close_button,
    )
    return [b.text().replace("&", "") for b in buttons if b.isVisible()]


def test_each_stage_has_its_buttons(window: ChatWindow, qtbot: QtBot) -> None:
    dialog = dialog_of(window, qtbot)
    assert dialog.windowTitle() == "Sign in with GitHub"
    assert shown(dialog) == ["Cancel"] and "Opening GitHub" in dialog.status.text()
    account = window.controller.account
    account.sign_in_changed.emit(SignInState(Stage.WAITING, url=URL))
    assert shown(dialog) == ["Copy link", "Open the page again", "Cancel"]
    assert dialog.link.text() == URL and dialog.link.isReadOnly()
    account.sign_in_changed.emit(SignInState(Stage.CONSENT, message="Save it?"))
    assert (
        shown(dialog) == ["Save and sign in", "Don't save", "Cancel"] and dialog.status.text() == "Save it?"
    )
    account.sign_in_changed.emit(SignInState(Stage.FAILED, message="<b>GitHub</b> said no"))
    assert shown(dialog) == ["Try again", "Close"]
    assert dialog.status.text() == "<b>GitHub</b> said no"  # as text, never markup
    assert dialog.status.textFormat() is Qt.TextFormat.PlainText
    account.sign_in_changed.emit(SignInState(Stage.CANCELLED))
    assert shown(dialog) == ["Try again", "Close"] and dialog.status.text() == "Sign-in cancelled."
    with qtbot.waitSignal(dialog.signed_in) as done:
        account.sign_in_changed.emit(SignInState(Stage.DONE, login="octocat"))
    assert done.args == ["octocat"] and dialog.status.text() == "Signed in as octocat."
    assert shown(dialog) == ["Close"]


def test_the_link_and_the_terminal_command_copy(window: ChatWindow, qtbot: QtBot) -> None:
    dialog = dialog_of(window, qtbot)
    window.controller.account.sign_in_changed.emit(SignInState(Stage.WAITING, url=URL))
    qtbot.mouseClick(dialog.copy_link_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == URL
    assert not dialog.details.isVisible()
    qtbot.mouseClick(dialog.details_toggle, Qt.MouseButton.LeftButton)
    assert dialog.details.isVisible() and dialog.command.text() == "env HOME=/x copilot login"
    qtbot.mouseClick(dialog.copy_command_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "env HOME=/x copilot login"


def test_a_browser_that_did_not_open_is_said(window: ChatWindow, qtbot: QtBot) -> None:
    dialog = dialog_of(window, qtbot)
    window.controller.account.sign_in_changed.emit(SignInState(Stage.WAITING, url=URL))
    assert not dialog.browser_note.isVisible()
    window.controller.account.browser_failed.emit(URL)
    assert dialog.browser_note.isVisible() and "did not open" in dialog.browser_note.text()


def test_the_window_opens_one_sign_in_window_from_the_banner_menu_and_settings(
    window: ChatWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    monkeypatch.setattr(window.controller.account, "sign_in", lambda: started.append("sign in"))
    window.notices.show(notices.sign_in_needed())
    button = window.banner.button("Sign in with GitHub")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.sign_in.dialog
    assert dialog is not None and dialog.isVisible() and started == ["sign in"]
    window.menus.sign_in_action.trigger()
    assert window.sign_in.dialog is dialog and started == ["sign in", "sign in"]
    window.open_settings()
    settings = window.choices.dialog
    assert settings is not None and settings.account_label.text() == "Not signed in to GitHub."
    qtbot.mouseClick(settings.sign_in_button, Qt.MouseButton.LeftButton)
    assert started == ["sign in"] * 3
    settings.close()
    dialog.close()
