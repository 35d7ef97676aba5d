"""The signed-in path end to end: Sign in with GitHub through the browser redirect, the account and
plan shown, a Copilot reply streamed, switching between two accounts, signing out; a denial on GitHub.

The real CLI through the real SDK; GitHub and the Copilot API are the scripted GitHub on 127.0.0.1
(``tests/scripted_github``), and the browser is its ``ScriptedBrowser`` in Qt's place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.config.paths import AppPaths
from desktop_app.core.copilot.account import sign_in_words as words
from desktop_app.core.copilot.account.stored_sign_in import split_header
from desktop_app.ui.account.sign_in_dialog import SignInDialog
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask
from tests.scripted_github import ScriptedGitHub
from tests.scripted_github.qt_browser import ScriptedBrowser

pytestmark = pytest.mark.asyncio


def stored_logins(data_dir: Path) -> list[str]:
    """The accounts whose sign-in the CLI keeps in its config file (no keychain in tests)."""
    home = AppPaths.under(data_dir).copilot_home
    assert home is not None
    config_file = home / "config.json"
    if not config_file.exists():
        return []
    config = json.loads(split_header(config_file.read_text(encoding="utf-8"))[1] or "{}")
    return [str(user.get("login")) for user in config.get("loggedInUsers", [])]


async def sign_in(qtbot: QtBot, window: ChatWindow, start: object) -> SignInDialog:
    """Click ``start`` (a button or an action), let the browser approve, allow saving; signed in."""
    if hasattr(start, "trigger"):
        start.trigger()
    else:
        qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    dialog = window.sign_in.dialog
    assert dialog is not None
    await wait_until(lambda: dialog.allow_button.isVisible(), timeout=60)  # the keychain question
    assert "not encrypted" in dialog.status.text()
    qtbot.mouseClick(dialog.allow_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: dialog.status.text().startswith("Signed in as"), timeout=30)
    return dialog


async def test_sign_in_through_the_browser_then_copilot_answers_then_sign_out(
    qtbot: QtBot, github_data_dir: Path, scripted_github: ScriptedGitHub, scripted_browser: ScriptedBrowser
) -> None:
    async with running_app("--data-dir", str(github_data_dir)) as window:
        qtbot.addWidget(window)
        assert window.controller.phase.value == "needs_sign_in"
        assert window.account_button.text() == "Not signed in"
        button = window.banner.button("Sign in with GitHub")
        assert button is not None
        dialog = await sign_in(qtbot, window, button)
        assert dialog.status.text() == "Signed in as octocat."
        opened = scripted_browser.opened
        assert len(opened) == 1 and opened[0].startswith("https://github.com/login/oauth/authorize?")
        assert [v.status for v in scripted_browser.visits] == [200]  # the CLI's page took the redirect
        exchanges = scripted_github.requests_to("github.com", "/login/oauth/access_token")
        assert len(exchanges) == 1 and exchanges[0].method == "POST"
        # Ready without a restart: the account and plan in the status bar, Copilot's models offered.
        await wait_until(lambda: window.controller.phase.value == "ready", timeout=30)
        await wait_until(lambda: window.account_button.text() == "octocat · Pro", timeout=30)
        assert not window.banner.isVisible()
        assert stored_logins(github_data_dir) == ["octocat"]
        await wait_until(lambda: window.model_picker.count() > 1, timeout=30)
        dialog.close()
        window.choices.choose_model("gpt-5-mini")
        await ask(qtbot, window, "hello Copilot")
        assert "Hello from scripted Copilot." in window.view.toPlainText()
        assert "you said: hello Copilot" in window.view.toPlainText()
        chats = scripted_github.chat_requests()
        assert chats and chats[-1].login == "octocat"
        # Sign out from the account menu: signed out at once, and the CLI keeps nothing.
        actions = {a.text(): a for a in window.account_button.account_menu.actions()}
        actions["Sign out"].trigger()
        await wait_until(lambda: window.account_button.text() == "Not signed in", timeout=60)
        await wait_until(lambda: window.controller.phase.value == "needs_sign_in", timeout=30)
        assert window.banner.button("Sign in with GitHub") is not None
        assert stored_logins(github_data_dir) == []
        assert scripted_github.refused == []  # nothing was asked of any other host


async def test_two_accounts_switch_and_sign_out_of_one(
    qtbot: QtBot, github_data_dir: Path, scripted_github: ScriptedGitHub, scripted_browser: ScriptedBrowser
) -> None:
    scripted_github.add_account("hubot", plan="business")
    async with running_app("--data-dir", str(github_data_dir)) as window:
        qtbot.addWidget(window)
        first = await sign_in(qtbot, window, window.menus.sign_in_action)
        first.close()
        await wait_until(lambda: window.account_button.text() == "octocat · Pro", timeout=30)
        scripted_github.approve_as("hubot")
        assert window.menus.sign_in_action.text() == "Sign in with anothe&r account…"
        second = await sign_in(qtbot, window, window.menus.sign_in_action)
        assert second.status.text() == "Signed in as hubot."
        await wait_until(lambda: window.account_button.text() == "hubot · Business", timeout=30)
        actions = {a.text(): a for a in window.account_button.account_menu.actions()}
        assert "Switch to octocat" in actions
        actions["Switch to octocat"].trigger()
        await wait_until(lambda: window.account_button.text() == "octocat · Pro", timeout=30)
        await wait_until(lambda: window.controller.phase.value == "ready", timeout=30)
        window.choices.choose_model("gpt-5-mini")
        await ask(qtbot, window, "who am I")
        assert scripted_github.chat_requests()[-1].login == "octocat"
        actions = {a.text(): a for a in window.account_button.account_menu.actions()}
        actions["Sign out"].trigger()  # octocat goes; hubot stays signed in
        await wait_until(lambda: stored_logins(github_data_dir) == ["hubot"], timeout=60)
        await wait_until(lambda: window.account_button.text().startswith("hubot"), timeout=30)
        second.close()


async def test_a_sign_in_denied_on_github_says_so(
    qtbot: QtBot, github_data_dir: Path, scripted_github: ScriptedGitHub, scripted_browser: ScriptedBrowser
) -> None:
    scripted_github.deny_next()
    async with running_app("--data-dir", str(github_data_dir)) as window:
        qtbot.addWidget(window)
        window.sign_in.open()
        dialog = window.sign_in.dialog
        assert dialog is not None
        await wait_until(lambda: dialog.status.text() == words.DENIED, timeout=60)
        assert dialog.retry_button.isVisible()
        assert window.controller.phase.value == "needs_sign_in"
        assert window.account_button.text() == "Not signed in" and stored_logins(github_data_dir) == []
        dialog.close()
