"""Messages in the store: numbering, fields, updates (the full-text index follows) and interruption."""

from __future__ import annotations

import sqlite3

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.models import Role, Status
from tests.unit.storage.store_helpers import FakeClock, fts_check, fts_doc_count, hit_ids


def test_seq_increments_per_conversation(store: ConversationStore, clock: FakeClock) -> None:
    a = store.create_conversation()
    b = store.create_conversation()
    seqs_a = [store.add_message(a.id, Role.USER, f"a{i}").seq for i in range(3)]
    seqs_b = [store.add_message(b.id, Role.USER, f"b{i}").seq for i in range(2)]
    seqs_a.append(store.add_message(a.id, Role.ASSISTANT, "a3").seq)
    assert seqs_a == [1, 2, 3, 4]
    assert seqs_b == [1, 2]
    assert [m.content for m in store.messages(a.id)] == ["a0", "a1", "a2", "a3"]
    assert [m.seq for m in store.messages(b.id)] == [1, 2]
    assert store.messages("unknown") == []


def test_add_message_returns_stored_message(store: ConversationStore, clock: FakeClock) -> None:
    c = store.create_conversation()
    clock.advance(3)
    m = store.add_message(c.id, Role.ASSISTANT, "body", message_id="m-1", model="gpt-5")
    assert m == store.get_message("m-1")
    assert (m.id, m.conversation_id, m.role, m.content, m.status) == (
        "m-1",
        c.id,
        Role.ASSISTANT,
        "body",
        Status.COMPLETE,
    )
    assert m.created_at == m.updated_at == clock.now
    assert (m.reasoning, m.error, m.input_tokens, m.output_tokens, m.duration_ms, m.ttft_ms) == (
        "",
        "",
        None,
        None,
        None,
        None,
    )
    assert store.get_message("missing") is None


def test_message_for_unknown_conversation_is_rejected(store: ConversationStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.add_message("no-such-conversation", Role.USER, "orphan")
    assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    assert not store.db.in_transaction


def test_update_message_content_and_fts_follows(store: ConversationStore, clock: FakeClock) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.ASSISTANT, "first alphaword")
    assert hit_ids(store, "alphaword") == {m.id}
    clock.advance(2)
    store.update_message(m.id, content="final betaword only")
    updated = store.get_message(m.id)
    assert updated is not None
    assert updated.content == "final betaword only"
    assert updated.updated_at == clock.now and updated.created_at == m.created_at
    assert store.search("alphaword") == []
    assert hit_ids(store, "betaword") == {m.id}
    assert fts_doc_count(store.db) == 1
    fts_check(store.db)
    store.update_message(m.id, status=Status.ERROR)  # non-content update keeps the index
    assert hit_ids(store, "betaword") == {m.id}
    fts_check(store.db)


def test_a_streaming_reply_is_indexed_once_it_ends(store: ConversationStore) -> None:
    """Each flush of a streaming reply used to re-index its whole text; now its end does, once."""
    c = store.create_conversation()
    m = store.add_message(c.id, Role.ASSISTANT, "", status=Status.STREAMING)
    for text in ("partial", "partial alphaword", "partial alphaword and more"):
        store.update_message(m.id, content=text)
        assert store.search("alphaword") == []
        fts_check(store.db)  # consistent with what the index was given
    store.update_message(m.id, content="partial alphaword and more, done", status=Status.COMPLETE)
    assert hit_ids(store, "alphaword") == {m.id}
    assert next(h.snippet for h in store.search("alphaword")).count("alphaword") == 1
    fts_check(store.db)
    store.add_message(c.id, Role.ASSISTANT, "cut wombat", status=Status.STREAMING)
    assert store.search("wombat") == []
    store.delete_forever(c.id)  # a streaming row leaves the index as it was given: empty
    assert store.search("alphaword") == []
    fts_check(store.db)


def test_a_reply_cut_off_by_a_crash_is_indexed_by_the_recovery(store: ConversationStore) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.ASSISTANT, "a cut off wombat", status=Status.STREAMING)
    assert store.search("wombat") == []
    store.mark_interrupted()
    assert store.get_message(m.id).status is Status.INTERRUPTED  # type: ignore[union-attr]
    assert hit_ids(store, "wombat") == {m.id}
    fts_check(store.db)


@pytest.mark.parametrize("status", list(Status))
def test_status_round_trip(store: ConversationStore, status: Status) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.ASSISTANT, "x", status=status)
    assert store.get_message(m.id).status is status  # type: ignore[union-attr]
    other = Status.COMPLETE if status is not Status.COMPLETE else Status.ERROR
    store.update_message(m.id, status=other)
    assert store.get_message(m.id).status is other  # type: ignore[union-attr]
    store.update_message(m.id, status=status.value)  # plain strings are accepted too
    assert store.get_message(m.id).status is status  # type: ignore[union-attr]


def test_invalid_status_is_rejected_by_schema(store: ConversationStore) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.ASSISTANT, "x")
    with pytest.raises(sqlite3.IntegrityError):
        store.update_message(m.id, status="bogus")
    assert store.get_message(m.id).status is Status.COMPLETE  # type: ignore[union-attr]
    assert not store.db.in_transaction


def test_usage_fields(store: ConversationStore) -> None:
    c = store.create_conversation()
    m = store.add_message(
        c.id,
        Role.ASSISTANT,
        "answer",
        model="gpt-5",
        reasoning="thinking...",
        input_tokens=120,
        output_tokens=45,
        duration_ms=1234.5,
        ttft_ms=210.25,
    )
    got = store.get_message(m.id)
    assert got is not None
    assert (got.model, got.reasoning, got.input_tokens, got.output_tokens) == (
        "gpt-5",
        "thinking...",
        120,
        45,
    )
    assert (got.duration_ms, got.ttft_ms) == (1234.5, 210.25)

    store.update_message(
        m.id, output_tokens=99, duration_ms=2000.0, error="rate limited", status=Status.ERROR
    )
    got = store.get_message(m.id)
    assert got is not None
    assert (got.output_tokens, got.duration_ms, got.error, got.status) == (
        99,
        2000.0,
        "rate limited",
        Status.ERROR,
    )
    assert got.input_tokens == 120  # untouched fields keep their value


def test_unknown_message_field_raises(store: ConversationStore) -> None:
    c = store.create_conversation()
    with pytest.raises(ValueError, match="unknown message fields"):
        store.add_message(c.id, Role.USER, "x", tokens=3)
    assert store.messages(c.id) == []
    m = store.add_message(c.id, Role.USER, "x")
    with pytest.raises(ValueError, match="unknown message fields"):
        store.update_message(m.id, content="y", seq=7)
    with pytest.raises(ValueError):
        store.update_message(m.id, role="assistant")
    got = store.get_message(m.id)
    assert got is not None and (got.content, got.seq, got.role) == ("x", 1, Role.USER)


def test_mark_interrupted_only_touches_streaming(store: ConversationStore) -> None:
    a = store.create_conversation()
    b = store.create_conversation()
    idle = store.create_conversation()
    s1 = store.add_message(a.id, Role.ASSISTANT, "cut", status=Status.STREAMING)
    s2 = store.add_message(a.id, Role.ASSISTANT, "cut too", status=Status.STREAMING)
    s3 = store.add_message(b.id, Role.ASSISTANT, "cut b", status=Status.STREAMING)
    others = {
        store.add_message(idle.id, Role.ASSISTANT, "x", status=st).id: st
        for st in (Status.COMPLETE, Status.ABORTED, Status.ERROR, Status.INTERRUPTED)
    }

    ids = store.mark_interrupted()
    assert sorted(ids) == sorted([a.id, b.id])  # each conversation once
    for m in (s1, s2, s3):
        assert store.get_message(m.id).status is Status.INTERRUPTED  # type: ignore[union-attr]
    for mid, st in others.items():
        assert store.get_message(mid).status is st  # type: ignore[union-attr]
    assert store.mark_interrupted() == []


def test_text_with_a_lone_surrogate_is_saved_with_a_replacement_character(store: ConversationStore) -> None:
    """JSON from a model may carry ``"\\ud800"``: the reply, its title and its tool call still save."""
    c = store.create_conversation("title \ud800")
    m = store.add_message(c.id, Role.ASSISTANT, "half \udfff", status=Status.STREAMING)
    store.update_message(m.id, content="whole \ud800 reply", reasoning="\udc00", status=Status.COMPLETE)
    store.update_conversation(c.id, title="renamed \ud801")
    assert store.get_conversation(c.id).title == "renamed \ufffd"  # type: ignore[union-attr]
    saved = store.get_message(m.id)
    assert saved is not None and (saved.content, saved.reasoning) == ("whole \ufffd reply", "\ufffd")
    assert hit_ids(store, "whole") == {m.id}
