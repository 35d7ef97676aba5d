"""The store's side of a window's open conversation: drafts, access, switching, the first send."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.drafts import NewConversationDraft
from desktop_app.core.storage.models import Role, Status
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.targets import ChatTarget, Source
from desktop_app.ui.controller.open_conversation import OpenConversation

ENDPOINT = ChatTarget(Source.ENDPOINT, "llama3", "http://127.0.0.1:11434/v1")


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(open_database(tmp_path).connection)


def test_a_new_conversation_lives_here_until_its_first_send_saves_it(
    store: ConversationStore, tmp_path: Path
) -> None:
    opened = OpenConversation(store, NewConversationDraft(tmp_path))
    opened.composer_text = "half typed"
    opened.save_draft(["waiting"])
    assert store.count_conversations() == 0  # typing creates nothing in the sidebar
    assert opened.draft() == "waiting\n\nhalf typed"
    opened.set_access(ToolAccess(Mode.AGENT, str(tmp_path)))
    key = opened.key()
    assert key is not None and opened.key() == key  # one key for 'this conversation' rules
    saved = opened.save_for(ENDPOINT)
    assert saved is not None and opened.save_for(ENDPOINT) == saved  # created once
    assert (saved.model, saved.provider) == ("llama3", "endpoint:http://127.0.0.1:11434/v1")
    assert opened.access() == ToolAccess(Mode.AGENT, str(tmp_path))  # kept in its row now
    assert opened.key() == saved.id


def test_each_conversation_keeps_its_own_draft_across_switches(
    store: ConversationStore, tmp_path: Path
) -> None:
    alpha = store.create_conversation(model="m", title="Alpha")
    opened = OpenConversation(store, NewConversationDraft(tmp_path))
    opened.composer_text = "for the new one"
    opened.save_draft([])
    found = opened.find(alpha.id)
    assert found is not None and opened.show(found) == []
    assert opened.composer_text == ""
    opened.composer_text = "for alpha"
    opened.save_draft([])
    assert opened.find(alpha.id) is None  # open already
    opened.start_new()
    assert opened.current is None and opened.composer_text == "for the new one"
    reopened = opened.find(alpha.id)
    assert reopened is not None and reopened.draft == "for alpha"
    assert opened.find("no-such-id") is None


def test_new_conversations_start_with_the_windows_access(store: ConversationStore, tmp_path: Path) -> None:
    opened = OpenConversation(store, None)
    agent = ToolAccess(Mode.AGENT, str(tmp_path))
    opened.start_new_in(agent)  # --agent DIR
    assert opened.access() == agent
    opened.set_access(ToolAccess())
    opened.start_new()
    assert opened.access() == agent


def test_the_session_a_conversation_continues_in_is_remembered(store: ConversationStore) -> None:
    opened = OpenConversation(store, None)
    opened.remember_session("no conversation yet")  # nothing to remember it in
    conversation = opened.save_for(ENDPOINT)
    assert conversation is not None
    opened.remember_session("session-1")
    assert opened.current is not None and opened.current.session_id == "session-1"
    assert store.get_conversation(conversation.id).session_id == "session-1"  # type: ignore[union-attr]
    opened.remember_session(None)  # continue in a new session
    assert store.get_conversation(conversation.id).session_id is None  # type: ignore[union-attr]


def test_a_reply_cut_off_by_a_crash_can_be_retried(store: ConversationStore) -> None:
    opened = OpenConversation(store, None)
    assert not opened.cut_off() and opened.last_prompt() is None
    conversation = opened.save_for(ENDPOINT)
    assert conversation is not None
    store.add_message(conversation.id, Role.USER, "first")
    store.add_message(conversation.id, Role.USER, "second")
    store.add_message(conversation.id, Role.ASSISTANT, "half a rep", status=Status.INTERRUPTED)
    assert opened.cut_off() and opened.last_prompt() == "second"
    assert opened.tool_calls() == []


def test_without_a_store_nothing_is_saved_and_nothing_breaks(tmp_path: Path) -> None:
    opened = OpenConversation(None, None)
    opened.composer_text = "typed"
    opened.save_draft(["waiting"])
    assert opened.draft() == "" and opened.save_for(ENDPOINT) is None
    assert opened.find("any") is None and opened.key() is not None
