"""A request between the card and the tool panel: answered on either, the card and focus follow."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.events import PermissionAnswered
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, PermissionPrompt, RequestKind
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import active_offline_window


def request(command: str, call_id: str) -> PermissionPrompt:
    return PermissionPrompt(f"p-{call_id}", RequestKind.SHELL, call_id, "Run a shell command", command)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    chat = active_offline_window(qtbot, tmp_path)
    for command, call_id in (("ls", "c1"), ("rm -rf build", "c2")):
        chat.controller.bridge.permission_asked.emit(request(command, call_id))
    return chat


def test_a_request_waits_on_the_card_which_has_the_focus(window: ChatWindow) -> None:
    card = window.permission_card
    assert [p.prompt_id for p in card.waiting] == ["p-c1", "p-c2"]
    assert card.current is not None and card.current.prompt_id == "p-c1"
    assert QApplication.focusWidget() is card


def test_answered_from_the_panel_the_card_lets_it_go(window: ChatWindow) -> None:
    card = window.permission_card
    window.tool_panel.answer_requested.emit("c2", Choice.DENY.value)
    assert [p.prompt_id for p in card.waiting] == ["p-c1"]
    window.tool_panel.answer_requested.emit("c9", Choice.DENY.value)  # no such request: nothing
    assert [p.prompt_id for p in card.waiting] == ["p-c1"]


def test_more_from_the_panel_shows_that_request_on_the_card(window: ChatWindow) -> None:
    card = window.permission_card
    window.composer.setFocus()
    window.tool_panel.answer_requested.emit("c2", "more")
    assert card.current is not None and card.current.prompt_id == "p-c2"
    assert [p.prompt_id for p in card.waiting] == ["p-c2", "p-c1"]  # still waiting, now in front
    assert QApplication.focusWidget() is card


def test_once_nothing_waits_the_composer_has_the_focus(window: ChatWindow) -> None:
    bridge = window.controller.bridge
    for call_id in ("c1", "c2"):
        prompt = request("", call_id)
        bridge.permission_answered.emit(PermissionAnswered(prompt, Answer(Choice.ALLOW_ONCE)))
    assert window.permission_card.waiting == [] and window.permission_card.isHidden()
    assert QApplication.focusWidget() is window.composer
