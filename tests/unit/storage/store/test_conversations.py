"""Conversations in the store: creating, listing, renaming, drafts, trash and deletion, and titles."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop_app.core.storage.conversation_store import TITLE_LENGTH, ConversationStore, title_from_prompt
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role
from tests.unit.storage.store_helpers import FakeClock, fts_check, fts_doc_count

# -- conversations ------------------------------------------------------------------------------


def test_create_and_get_conversation(store: ConversationStore, clock: FakeClock) -> None:
    c = store.create_conversation(model="gpt-5", provider="copilot", session_id="s-1")
    assert c.title == ""
    assert (c.mode, c.working_dir) == ("chat", "")
    assert c.created_at == c.updated_at == clock.now
    assert (c.pinned, c.trashed_at, c.draft) == (False, None, "")
    assert (c.model, c.provider, c.session_id) == ("gpt-5", "copilot", "s-1")
    assert store.get_conversation(c.id) == c
    assert store.get_conversation("nope") is None
    assert store.find_by_session("s-1") == c
    assert store.find_by_session("s-2") is None

    explicit = store.create_conversation(
        "Named", conversation_id="fixed-id", created_at=5.0, mode="agent", working_dir="/src/app"
    )
    assert (explicit.id, explicit.title, explicit.created_at) == ("fixed-id", "Named", 5.0)
    assert (explicit.mode, explicit.working_dir) == ("agent", "/src/app")
    assert store.count_conversations() == 2
    assert list(store.conversation_ids()) == ["fixed-id", c.id]  # by created_at


def test_duplicate_conversation_id_is_rejected(store: ConversationStore) -> None:
    store.create_conversation(conversation_id="same")
    with pytest.raises(sqlite3.IntegrityError):
        store.create_conversation(conversation_id="same")
    assert store.count_conversations() == 1
    assert not store.db.in_transaction


def test_list_orders_pinned_first_then_most_recent(store: ConversationStore, clock: FakeClock) -> None:
    a = store.create_conversation("a")
    clock.advance()
    b = store.create_conversation("b")
    clock.advance()
    c = store.create_conversation("c")
    assert [x.id for x in store.list_conversations()] == [c.id, b.id, a.id]

    clock.advance()
    store.add_message(a.id, Role.USER, "bump a")  # activity moves a to the top
    assert [x.id for x in store.list_conversations()] == [a.id, c.id, b.id]
    assert store.get_conversation(a.id).updated_at == clock.now  # type: ignore[union-attr]

    clock.advance()
    store.set_pinned(b.id, True)
    assert [x.id for x in store.list_conversations()] == [b.id, a.id, c.id]
    assert store.get_conversation(b.id).pinned is True  # type: ignore[union-attr]

    store.set_pinned(c.id, True)  # both pinned: newest pinned first
    assert [x.id for x in store.list_conversations()] == [c.id, b.id, a.id]
    assert [x.id for x in store.list_conversations(limit=2)] == [c.id, b.id]

    store.set_pinned(b.id, False)
    store.set_pinned(c.id, False)
    assert [x.id for x in store.list_conversations()] == [a.id, c.id, b.id]


def test_list_pages(store: ConversationStore) -> None:
    ids = [store.create_conversation(created_at=float(i)).id for i in range(5)]
    first = store.list_conversations(limit=2)
    second = store.list_conversations(limit=2, offset=2)
    rest = store.list_conversations(limit=2, offset=4)
    assert [c.id for c in first + second + rest] == [c.id for c in store.list_conversations()]
    assert sorted(c.id for c in first + second + rest) == sorted(ids)


def test_update_conversation_touch_and_unknown_field(store: ConversationStore, clock: FakeClock) -> None:
    c = store.create_conversation("t")
    clock.advance(10)
    store.rename(c.id, "renamed")  # a rename does not count as activity
    assert store.get_conversation(c.id).updated_at == c.updated_at  # type: ignore[union-attr]
    store.update_conversation(c.id, touch=True)
    assert store.get_conversation(c.id).updated_at == clock.now  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="unknown conversation fields"):
        store.update_conversation(c.id, updated_at=0, title="x")
    with pytest.raises(ValueError):
        store.update_conversation(c.id, **{"title = 'x' --": "y"})
    assert store.get_conversation(c.id).title == "renamed"  # type: ignore[union-attr]


def test_rename_strips_whitespace(store: ConversationStore) -> None:
    c = store.create_conversation("old")
    store.rename(c.id, "  New name \n")
    assert store.get_conversation(c.id).title == "New name"  # type: ignore[union-attr]


def test_draft_round_trip_and_persistence(store: ConversationStore, data_dir: Path) -> None:
    c = store.create_conversation()
    draft = "half-written\nprompt with ```code``` and unicode ✓"
    store.set_draft(c.id, draft)
    assert store.get_conversation(c.id).draft == draft  # type: ignore[union-attr]
    other = open_database(data_dir)
    try:
        assert ConversationStore(other.connection).get_conversation(c.id).draft == draft  # type: ignore[union-attr]
    finally:
        other.connection.close()
    store.set_draft(c.id, "")
    assert store.get_conversation(c.id).draft == ""  # type: ignore[union-attr]


def test_trash_and_restore(store: ConversationStore, clock: FakeClock) -> None:
    keep = store.create_conversation("keep")
    gone = store.create_conversation("gone")
    clock.advance(5)
    store.trash(gone.id)
    assert [x.id for x in store.list_conversations()] == [keep.id]
    trashed = store.list_conversations(trashed=True)
    assert [x.id for x in trashed] == [gone.id]
    assert trashed[0].trashed_at == clock.now
    assert store.count_conversations() == 2  # trashed, not deleted

    store.restore(gone.id)
    assert {x.id for x in store.list_conversations()} == {keep.id, gone.id}
    assert store.list_conversations(trashed=True) == []
    assert store.get_conversation(gone.id).trashed_at is None  # type: ignore[union-attr]


def test_delete_forever_cascades_messages_and_fts(store: ConversationStore) -> None:
    doomed = store.create_conversation()
    survivor = store.create_conversation()
    for i in range(3):
        store.add_message(doomed.id, Role.USER, f"zebracorn secret {i}")
        store.add_message(doomed.id, Role.ASSISTANT, f"reply about zebracorn {i}")
    store.add_message(survivor.id, Role.USER, "ordinary words zebracornish")
    assert fts_doc_count(store.db) == 7
    store.trash(doomed.id)
    store.delete_forever(doomed.id)

    assert store.get_conversation(doomed.id) is None
    assert store.messages(doomed.id) == []
    assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 1
    assert fts_doc_count(store.db) == 1
    fts_check(store.db)
    assert [h.conversation_id for h in store.search("zebracorn")] == [survivor.id]  # prefix match
    assert store.search("secret") == []
    assert store.list_conversations(trashed=True) == []


# -- titles ---------------------------------------------------------------------------------------


def test_first_user_prompt_names_the_conversation(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, Role.NOTICE, "Connected.")
    store.add_message(c.id, Role.ASSISTANT, "Hi, how can I help?")
    assert store.get_conversation(c.id).title == ""  # type: ignore[union-attr]
    store.add_message(c.id, Role.USER, "\n\n  How do   I use WAL?\nMore details here")
    assert store.get_conversation(c.id).title == "How do I use WAL?"  # type: ignore[union-attr]
    store.add_message(c.id, Role.USER, "A later question")
    assert store.get_conversation(c.id).title == "How do I use WAL?"  # type: ignore[union-attr]


def test_long_first_prompt_is_truncated_in_title(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, Role.USER, "please " * 50 + "\nsecond")
    title = store.get_conversation(c.id).title  # type: ignore[union-attr]
    assert len(title) <= TITLE_LENGTH and title.endswith("…") and title.startswith("please please")


def test_explicit_title_is_not_overwritten(store: ConversationStore) -> None:
    c = store.create_conversation("My title")
    store.add_message(c.id, Role.USER, "Some prompt")
    assert store.get_conversation(c.id).title == "My title"  # type: ignore[union-attr]
    d = store.create_conversation()
    store.rename(d.id, "Renamed first")
    store.add_message(d.id, Role.USER, "Some prompt")
    assert store.get_conversation(d.id).title == "Renamed first"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        ("Hello", "Hello"),
        ("  \n\n   Explain   WAL\tmode  \nsecond line", "Explain WAL mode"),
        ("", ""),
        ("   \n \t\n", ""),
        ("a" * TITLE_LENGTH, "a" * TITLE_LENGTH),
    ],
)
def test_title_from_prompt(prompt: str, title: str) -> None:
    assert title_from_prompt(prompt) == title


def test_long_title_is_truncated_with_ellipsis() -> None:
    prompt = "word " * 100
    title = title_from_prompt(prompt)
    assert len(title) <= TITLE_LENGTH
    assert title.endswith("…")
    assert not title[:-1].endswith(" ")
    assert prompt.startswith(title[:-1])
    assert title_from_prompt("x" * (TITLE_LENGTH + 1)) == "x" * (TITLE_LENGTH - 1) + "…"
