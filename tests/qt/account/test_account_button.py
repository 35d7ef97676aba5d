"""The account in the status bar, its menu, and the account in Settings and About."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.account import Account, AccountState
from desktop_app.ui.account.account_button import account_text
from desktop_app.ui.window.about_dialog import AboutDialog
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window

OCTOCAT = Account("octocat", "https://github.com", True, "sel-1")
HUBOT = Account("hubot<b>", "https://github.com", False, "sel-2")
SIGNED_IN = AccountState(OCTOCAT, "Pro", (HUBOT,))


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    return offline_window(qtbot, tmp_path)


def menu_texts(window: ChatWindow) -> list[str]:
    return [a.text() for a in window.account_button.account_menu.actions() if not a.isSeparator()]


def test_signed_out_the_button_offers_to_sign_in(window: ChatWindow) -> None:
    assert window.account_button.text() == "Not signed in"
    assert window.account_button.accessibleName() == "Account"
    assert menu_texts(window) == ["Sign in with GitHub…"]


def test_signed_in_it_shows_login_and_plan_and_offers_switch_and_sign_out(
    window: ChatWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    account = window.controller.account
    monkeypatch.setattr(account, "switch_to", lambda a: calls.append(("switch", a)))
    monkeypatch.setattr(account, "sign_out", lambda a=None: calls.append(("out", a)))
    monkeypatch.setattr(account, "_recheck", lambda: None)
    account._service.accounts._publish(SIGNED_IN)
    assert window.account_button.text() == "octocat · Pro"
    assert menu_texts(window) == [
        "Signed in as octocat",
        "Switch to hubot<b>",
        "Sign in with another account…",
        "Sign out",
    ]
    actions = {a.text(): a for a in window.account_button.account_menu.actions()}
    assert not actions["Signed in as octocat"].isEnabled()
    actions["Switch to hubot<b>"].trigger()
    actions["Sign out"].trigger()
    assert calls == [("switch", HUBOT), ("out", None)]
    assert window.menus.sign_out_action.isVisible()
    assert window.menus.sign_in_action.text() == "Sign in with anothe&r account…"
    window.open_settings()
    settings = window.choices.dialog
    assert settings is not None
    assert settings.account_label.text() == "Signed in as octocat (Copilot Pro)."
    assert settings.sign_in_button.text() == "Sign in with another account…"
    settings.close()


def test_about_shows_the_account_but_the_copied_report_leaves_the_login_out(
    window: ChatWindow, qtbot: QtBot
) -> None:
    dialog = AboutDialog(window.controller.data_dir, "1.0.102", window, SIGNED_IN)
    qtbot.addWidget(dialog)
    assert dialog.value_labels["GitHub account"].text() == "octocat"
    assert dialog.value_labels["Copilot plan"].text() == "Pro"
    assert "Copilot plan: Pro" in dialog.version_info() and "octocat" not in dialog.version_info()
    signed_out = AboutDialog(window.controller.data_dir, None, window, AccountState())
    qtbot.addWidget(signed_out)
    assert signed_out.value_labels["GitHub account"].text() == "not signed in"


def test_enterprise_hosts_are_named() -> None:
    ghe = Account("mona", "https://octo.ghe.com", True, "x")
    assert account_text(AccountState(ghe, "")) == "mona (octo.ghe.com)"
    assert account_text(AccountState()) == "Not signed in"
