"""Settings → Permissions: the page follows the rule book shared by every window."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.core.permissions.rules import RuleBook
from desktop_app.core.vocabulary.permission_requests import RequestKind, Rule, RuleScope
from desktop_app.ui.tools.permission_rules import PermissionRulesPage


def test_a_rule_kept_anywhere_shows_at_once_and_revoking_takes_it_back(qtbot: QtBot) -> None:
    book = RuleBook()
    page = PermissionRulesPage(book)
    qtbot.addWidget(page)
    assert page.list.count() == 0 and not page.revoke_all_button.isEnabled()
    book.add([Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls")])  # kept in another window, say
    assert [page.list.item(i).text() for i in range(page.list.count())] == [
        "Shell: commands starting with ls, always"
    ]
    page.list.setCurrentRow(0)
    page.revoke_button.click()
    assert book.rules == [] and page.list.count() == 0 and page.empty.isVisibleTo(page)


def test_a_page_that_is_gone_no_longer_listens(qtbot: QtBot) -> None:
    book = RuleBook()
    page = PermissionRulesPage(book)
    assert len(book.changed) == 1
    page.deleteLater()
    qtbot.waitUntil(lambda: len(book.changed) == 0)
    book.add([Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls")])  # nobody left to tell
