"""Nothing is approved by accident: the permission card and the tool panel's answers, driven by keys
and clicks the way a user typing a prompt would hit them as a request appears."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.tool_calls import ToolTimeline
from desktop_app.core.permissions.rules import describe
from desktop_app.core.vocabulary.events import PermissionAsked, ToolStarted
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, PermissionPrompt
from desktop_app.ui.tools.permission_card import PermissionCard
from desktop_app.ui.tools.tool_panel import ToolPanel
from tests.qt.offline_window import active_offline_window

CTRL = Qt.KeyboardModifier.ControlModifier


def shell(command: str, call_id: str = "c1", intention: str = "look around") -> PermissionPrompt:
    return describe(
        SimpleNamespace(
            kind="shell", full_command_text=command, tool_call_id=call_id, intention=intention,
            command_segments=[SimpleNamespace(full_command_text=command)], has_write_file_redirection=False,
            possible_paths=[], possible_urls=[], warning=None,
        )
    )  # fmt: skip


def shown_card(qtbot: QtBot) -> tuple[PermissionCard, list[Answer]]:
    card = PermissionCard()
    qtbot.addWidget(card)
    card.show()
    answers: list[Answer] = []
    card.answered.connect(lambda _pid, answer: answers.append(answer))
    return card, answers


def test_nothing_in_the_first_second_allows_and_esc_still_denies(qtbot: QtBot) -> None:
    card, answers = shown_card(qtbot)
    card.ask(shell("ls"))
    card.take_focus()
    assert not card.armed
    assert not any(b.isEnabled() for b in (card.allow_once, card.allow_conversation, card.allow_always))
    for button in (card.allow_once, card.allow_conversation, card.allow_always):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        button.click()
    for key, modifier in (
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Enter, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Return, CTRL),
    ):
        qtbot.keyClick(card, key, modifier)
    card.allow_once.setFocus()  # even a button the focus lands on
    qtbot.keyClick(card.allow_once, Qt.Key.Key_Return)
    qtbot.keyClick(card.allow_once, Qt.Key.Key_Space)
    assert answers == [] and card.current is not None
    qtbot.keyClick(card, Qt.Key.Key_Escape)  # Deny is one key away, at once
    assert answers == [Answer(Choice.DENY)] and card.current is None


def test_once_armed_only_a_deliberate_shortcut_or_click_allows(qtbot: QtBot) -> None:
    card, answers = shown_card(qtbot)
    card.ask(shell("ls"))
    card.take_focus()
    qtbot.waitUntil(lambda: card.armed)
    assert card.allow_once.isEnabled() and card.allow_always.isEnabled()
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
        qtbot.keyClick(card, key)  # on the card itself, plain keys answer nothing
    assert answers == []
    qtbot.keyClick(card, Qt.Key.Key_Return, CTRL)
    assert answers == [Answer(Choice.ALLOW_ONCE)]


def test_the_next_request_is_armed_again_when_it_comes_to_the_front(qtbot: QtBot) -> None:
    card, answers = shown_card(qtbot)
    card.ask(shell("ls", "a"))
    card.ask(shell("rm -rf x", "b"))
    qtbot.waitUntil(lambda: card.armed)
    card.allow_once.click()
    assert answers == [Answer(Choice.ALLOW_ONCE)]
    assert card.current is not None and card.current.detail == "rm -rf x"
    assert not card.armed and not card.allow_once.isEnabled()  # a double click allows only the first
    card.allow_once.click()
    assert len(answers) == 1


def test_text_typed_on_the_card_goes_on_to_the_composer(qtbot: QtBot) -> None:
    card, answers = shown_card(qtbot)
    typed: list[str] = []
    card.typed.connect(typed.append)
    card.ask(shell("ls"))
    card.take_focus()
    qtbot.keyClicks(card, "hi there")
    assert "".join(typed) == "hi there" and answers == []


def test_no_allow_button_is_a_default_or_has_a_mnemonic(qtbot: QtBot) -> None:
    card, _answers = shown_card(qtbot)
    card.ask(shell("ls"))
    assert not card.allow_once.isDefault() and not card.allow_once.autoDefault()
    for button in (card.allow_once, card.allow_conversation, card.allow_always):
        assert "&" not in button.text()
    assert card.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert "Ctrl+Enter" in card.keys.text() and "Esc" in card.keys.text()
    assert card.accessibleName() == "Permission request: Run a shell command"
    assert "ls" in card.accessibleDescription() and "Ctrl+Enter" in card.accessibleDescription()


def test_every_label_from_the_request_is_plain_text(qtbot: QtBot) -> None:
    card, _answers = shown_card(qtbot)
    hostile = "<b>bold</b><img src=x onerror=alert(1)>"
    prompt = describe(
        SimpleNamespace(kind="write", file_name=f"/tmp/{hostile}/a&b.txt", diff="", intention=hostile)
    )
    card.ask(prompt)
    for label in card.findChildren(QLabel):
        assert label.textFormat() is Qt.TextFormat.PlainText, label.text()
    assert card.intention.text() == hostile
    assert hostile in card.scope.text()
    tip = card.allow_always.toolTip()
    assert "<b>" not in tip and "<img" not in tip and "&lt;b&gt;" in tip
    menu = card.allow_always.menu()
    assert menu is not None and any("a&&b.txt" in a.text() for a in menu.actions())


def test_the_panels_allow_once_waits_as_the_card_does(qtbot: QtBot) -> None:
    timeline = ToolTimeline()
    panel = ToolPanel(timeline)
    qtbot.addWidget(panel)
    asked: list[tuple[str, str]] = []
    panel.answer_requested.connect(lambda call_id, choice: asked.append((call_id, choice)))
    timeline(ToolStarted("c1", "bash", {"command": "ls"}, "Running command", "ls"))
    timeline(PermissionAsked(shell("ls")))
    panel._show_selected()
    assert not panel.answers.isHidden() and not panel.allow_button.isEnabled()
    panel.allow_button.click()
    panel._answer("allow_once")  # even called directly
    assert asked == []
    panel.deny_button.click()  # Deny works at once
    assert asked == [("c1", "deny")]
    qtbot.waitUntil(panel.allow_button.isEnabled)
    panel._show_selected()  # the refresh timer redrawing does not re-arm the same call
    assert panel.allow_button.isEnabled()
    panel.allow_button.click()
    assert asked[-1] == ("c1", "allow_once")


def test_in_the_window_the_request_takes_the_focus_and_enter_in_the_composer_answers_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = active_offline_window(qtbot, tmp_path)
    answered: list[Answer] = []
    window.permission_card.answered.connect(lambda _pid, answer: answered.append(answer))
    window.composer.setFocus()
    qtbot.keyClicks(window.composer, "tell me ")
    window._permission_asked(shell("rm -rf build"))
    assert QApplication.focusWidget() is window.permission_card  # the request, not a button
    focused = QApplication.focusWidget()
    assert focused is not None
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Space, Qt.Key.Key_Enter):
        qtbot.keyClick(focused, key)  # what the user's next keys hit
        qtbot.keyClick(window.composer, key)  # and the composer itself
    qtbot.keyClicks(focused, "more")
    assert answered == [] and window.permission_card.current is not None
    # Nothing typed is lost: Enter in the composer queued "tell me" as the next prompt (never an
    # answer), and what was typed on the card went on to the composer.
    assert window.controller.pending.texts() == ["tell me "]
    assert "more" in window.composer.toPlainText()
    qtbot.waitUntil(lambda: window.permission_card.armed)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)  # armed: Enter in the composer is still no answer
    assert answered == []
    assert QApplication.focusWidget() is window.permission_card
    qtbot.keyClick(window.permission_card, Qt.Key.Key_Return, CTRL)
    assert answered == [Answer(Choice.ALLOW_ONCE)]


def test_allowing_from_a_button_leaves_the_focus_on_the_card_not_on_the_next_requests_button(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = active_offline_window(qtbot, tmp_path)
    card = window.permission_card
    answered: list[Answer] = []
    card.answered.connect(lambda _pid, answer: answered.append(answer))
    window._permission_asked(shell("ls", "a"))
    window._permission_asked(shell("rm -rf ~", "b"))
    assert card in window.panes()  # F6 reaches a waiting request
    qtbot.waitUntil(lambda: card.armed)
    card.allow_once.setFocus()  # the user moved to the button and pressed Space: deliberate
    qtbot.keyClick(card.allow_once, Qt.Key.Key_Space)
    assert answered == [Answer(Choice.ALLOW_ONCE)]
    assert card.current is not None and card.current.detail == "rm -rf ~"
    assert QApplication.focusWidget() is card and not card.armed
    qtbot.keyClick(card, Qt.Key.Key_Space)  # a second Space answers nothing
    qtbot.keyClick(card, Qt.Key.Key_Return)
    assert answered == [Answer(Choice.ALLOW_ONCE)]


def test_the_card_is_armed_again_when_its_window_comes_back_to_the_front(qtbot: QtBot) -> None:
    card, answers = shown_card(qtbot)
    card.ask(shell("ls"))
    qtbot.waitUntil(lambda: card.armed)
    card.activateWindow()
    qtbot.waitUntil(card.isActiveWindow)
    QApplication.sendEvent(card, QEvent(QEvent.Type.ActivationChange))  # what Qt sends on activation
    assert not card.armed and not card.allow_once.isEnabled()
    card.allow_once.click()
    assert answers == []
    qtbot.waitUntil(lambda: card.armed)
    card.allow_once.click()
    assert answers == [Answer(Choice.ALLOW_ONCE)]


def test_a_scope_menu_answers_only_the_request_it_was_made_for(qtbot: QtBot) -> None:
    card, answers = shown_card(qtbot)
    first = describe(SimpleNamespace(kind="write", file_name="/srv/app/a.py", diff="", intention=""))
    second = describe(SimpleNamespace(kind="write", file_name="/srv/other/b.py", diff="", intention=""))
    card.ask(first)
    card.ask(second)
    qtbot.waitUntil(lambda: card.armed)
    menu = card.allow_always.menu()
    assert menu is not None
    stale = menu.actions()[0]  # still open when the first request is answered elsewhere
    card.resolved(first.prompt_id)
    card._arming.stop()  # as if the second had waited its second already
    stale.trigger()  # before Qt deletes the old menu
    assert answers == [] and card.current is second
    new_menu = card.allow_always.menu()
    assert new_menu is not None and new_menu is not menu
    new_menu.actions()[1].trigger()
    assert answers == [Answer(Choice.ALLOW_ALWAYS, second.options[1])]


def test_the_settings_list_says_when_a_kept_rule_is_too_broad_to_apply() -> None:
    from desktop_app.core.vocabulary.permission_requests import RequestKind, Rule, RuleScope
    from desktop_app.ui.tools.permission_rules import rule_text

    stale = Rule(RequestKind.SHELL, RuleScope.COMMAND, "git")
    fine = Rule(RequestKind.SHELL, RuleScope.COMMAND, "git log")
    assert (
        rule_text(stale)
        == "Shell: commands starting with git, always (too broad: no longer applied, asks instead)"
    )
    assert rule_text(fine) == "Shell: commands starting with git log, always"
