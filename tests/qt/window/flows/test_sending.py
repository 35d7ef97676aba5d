"""Send or Stop, and the draft: saved once typing pauses, never for another conversation's text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.vocabulary.notices import Phase
from desktop_app.ui.window.chat_window import ChatWindow
from desktop_app.ui.window.flows.sending import DRAFT_SAVE_DELAY_MS
from tests.qt.offline_window import active_offline_window


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    chat = active_offline_window(qtbot, tmp_path, ("Alpha plans",))
    chat.controller.conversation = store_of(chat).list_conversations()[0]
    return chat


def store_of(window: ChatWindow) -> ConversationStore:
    store = window.controller.store
    assert store is not None
    return store


def saved_draft(window: ChatWindow) -> str:
    conversation = window.controller.conversation
    assert conversation is not None
    found = store_of(window).get_conversation(conversation.id)
    assert found is not None
    return found.draft


def test_the_button_says_what_it_will_do(window: ChatWindow) -> None:
    window.controller.busy_changed.emit(True)
    assert window.send_button.text() == "Stop"
    window.controller.busy_changed.emit(False)
    assert window.send_button.text() == "Send"


def test_the_draft_is_saved_once_typing_pauses(qtbot: QtBot, window: ChatWindow) -> None:
    qtbot.keyClicks(window.composer, "half a thought")
    assert saved_draft(window) == ""  # not on every key
    qtbot.waitUntil(lambda: saved_draft(window) == "half a thought", timeout=DRAFT_SAVE_DELAY_MS * 5)


def test_another_conversations_draft_shown_is_not_saved_here(qtbot: QtBot, window: ChatWindow) -> None:
    window.sending.show_draft("the other conversation's draft")
    assert window.composer.toPlainText() == "the other conversation's draft"
    qtbot.wait(DRAFT_SAVE_DELAY_MS * 2)
    assert saved_draft(window) == ""


def test_a_prompt_sent_while_copilot_starts_waits_and_enter_clears_the_composer(
    qtbot: QtBot, window: ChatWindow
) -> None:
    assert window.controller.phase is Phase.STARTING
    qtbot.keyClicks(window.composer, "first")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert window.composer.toPlainText() == ""
    assert window.controller.pending.texts() == ["first"]
    assert window.pending_bar.labels() == ["◷ Sends when Copilot is ready: first"]
