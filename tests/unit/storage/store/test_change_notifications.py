"""The store's change listeners: who hears which write, and what a listener's bug cannot spoil."""

from __future__ import annotations

import sqlite3

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.models import Role, Status


def test_changed_callbacks_fire_for_every_kind_of_change(store: ConversationStore) -> None:
    heard: list[str] = []
    store.changed.subscribe(heard.append)
    also: list[str] = []
    store.changed.subscribe(also.append)

    c = store.create_conversation()
    assert heard == [c.id]
    steps = [
        lambda: store.rename(c.id, "t"),
        lambda: store.set_pinned(c.id, True),
        lambda: store.set_draft(c.id, "draft"),
        lambda: store.update_conversation(c.id, mode="agent", working_dir="/src"),
        lambda: store.update_conversation(c.id, touch=True),
        lambda: store.add_message(c.id, Role.USER, "hi", message_id="m"),
        lambda: store.trash(c.id),
        lambda: store.restore(c.id),
        lambda: store.delete_forever(c.id),
    ]
    for step in steps:
        heard.clear()
        step()
        assert heard == [c.id]
    assert also == [c.id] * (len(steps) + 1)


def test_message_updates_are_heard_separately(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, Role.ASSISTANT, "", status=Status.STREAMING, message_id="m")
    conversations: list[str] = []
    messages: list[str] = []
    store.changed.subscribe(conversations.append)
    store.message_changed.subscribe(messages.append)
    store.update_message("m", content="streaming text")
    store.update_message("m", status=Status.COMPLETE)
    assert messages == ["m", "m"]
    assert conversations == []  # a streaming reply does not make conversation lists reload


@pytest.mark.expected_warnings
def test_a_subscriber_that_raises_spoils_neither_the_write_nor_the_others(
    store: ConversationStore, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_conversation_id: str) -> None:
        raise RuntimeError("subscriber bug")

    heard: list[str] = []
    store.changed.subscribe(broken)
    unsubscribe = store.changed.subscribe(heard.append)
    c = store.create_conversation("kept")
    assert heard == [c.id] and store.get_conversation(c.id) is not None
    assert "subscriber bug" in caplog.text
    unsubscribe()
    store.rename(c.id, "renamed")
    assert heard == [c.id]  # no longer subscribed


def test_no_callback_for_rejected_or_empty_changes(store: ConversationStore) -> None:
    c = store.create_conversation()
    heard: list[str] = []
    store.changed.subscribe(heard.append)
    store.update_conversation(c.id)  # nothing to change
    store.update_message("missing", content="x")  # no such message
    with pytest.raises(ValueError):
        store.update_conversation(c.id, bogus=1)
    with pytest.raises(sqlite3.IntegrityError):
        store.add_message("missing", Role.USER, "x")
    assert heard == []


def test_mark_interrupted_notifies(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, Role.ASSISTANT, "cut", status=Status.STREAMING)
    heard: list[str] = []
    store.changed.subscribe(heard.append)
    store.mark_interrupted()
    assert heard == [c.id]
