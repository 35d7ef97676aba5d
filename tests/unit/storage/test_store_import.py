"""The store's import API (ConversationStore.import_conversations) and the rows it writes (table_rows)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import (
    Conversation,
    ConversationWithMessages,
    Message,
    Rejected,
    Role,
    SavedToolCall,
)
from desktop_app.core.storage.table_rows import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    TOOL_CALL_COLUMNS,
    conversation_row,
    tool_call_rows,
)

T = 1714550400.25


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConversationStore]:
    s = ConversationStore(open_database(tmp_path / "data").connection, clock=lambda: T + 1000)
    yield s
    s.close()


def item(cid: str, *message_ids: str, session_id: str | None = None) -> ConversationWithMessages:
    conversation = Conversation(
        cid, f"title of {cid}", T, T + 1, pinned=True, session_id=session_id, mode="agent", working_dir="/w"
    )
    messages = [
        Message(mid, cid, seq, Role.USER if seq % 2 else Role.ASSISTANT, f"text {mid}", T + seq, T + seq)
        for seq, mid in enumerate(message_ids, 1)
    ]
    return ConversationWithMessages(conversation, messages)


def heard(store: ConversationStore) -> list[str]:
    ids: list[str] = []
    store.changed.subscribe(ids.append)
    return ids


def test_conversations_come_in_whole_with_their_ids_and_times(store: ConversationStore) -> None:
    changes = heard(store)
    a, b = item("a", "a1", "a2", session_id="s-a"), item("b")
    result = store.import_conversations([a, b])
    assert (result.imported, result.skipped, result.rejected) == (2, [], [])
    assert store.get_conversation("a") == a.conversation
    assert store.messages("a") == a.messages
    assert store.get_conversation("b") == b.conversation and store.messages("b") == []
    assert changes == ["a", "b"]  # each told once, after the transaction
    assert [h.message_id for h in store.search("text a2")] == ["a2"]  # searchable like any other


def test_a_conversation_the_store_has_is_skipped_and_left_as_it_was(store: ConversationStore) -> None:
    mine = store.create_conversation("mine", conversation_id="a")
    store.add_message(mine.id, Role.USER, "my words", message_id="m-mine")
    before = (store.get_conversation("a"), store.messages("a"))
    changes = heard(store)
    result = store.import_conversations([item("a", "a1"), item("b", "b1")])
    assert (result.imported, result.skipped, result.rejected) == (1, ["a"], [])
    assert (store.get_conversation("a"), store.messages("a")) == before
    assert store.get_message("a1") is None  # none of the skipped one's messages either
    assert changes == ["b"]


def test_clashes_leave_one_conversation_out_with_a_reason_naming_its_place(store: ConversationStore) -> None:
    mine = store.create_conversation("mine", session_id="s-1")
    store.add_message(mine.id, Role.USER, "x", message_id="m")
    items = [item("a", "m"), item("b", session_id="s-1"), item("c", "c1")]
    result = store.import_conversations(items, positions=[4, 7, 9])
    assert result.imported == 1 and result.skipped == []
    message_clash = (
        "conversations[4].messages[0].id: 'm' already belongs to another conversation in this store"
    )
    session_clash = f"conversations[7].session_id: 's-1' is already the session of conversation {mine.id!r}"
    assert result.rejected == [Rejected(4, "a", message_clash), Rejected(7, "b", session_clash)]
    assert store.get_conversation("a") is None and store.get_conversation("b") is None
    assert store.get_conversation("c") is not None
    default = store.import_conversations([item("d"), item("e", "m")])
    assert [r.index for r in default.rejected] == [1]  # without positions: the place in the list


def test_a_failure_rolls_the_whole_import_back(store: ConversationStore) -> None:
    store.create_conversation("mine", conversation_id="kept")
    changes = heard(store)
    twice = item("bad", "same", "same")  # not checked (as a file's would be): the table refuses it
    with pytest.raises(sqlite3.IntegrityError):
        store.import_conversations([item("good", "g1"), twice])
    assert store.get_conversation("good") is None and store.get_message("g1") is None
    assert store.get_conversation("bad") is None
    assert [c.id for c in store.list_conversations()] == ["kept"]
    assert changes == []  # nothing was written, so nobody hears of it
    assert store.import_conversations([item("good", "g1")]).imported == 1  # and the store still works


def test_tool_calls_are_kept_in_order_with_their_places(store: ConversationStore) -> None:
    first = ToolCall(
        "call_1",
        "bash",
        command="ls",
        status=ToolStatus.DONE,
        exit_code=0,
        files=("a.txt", "b `c`.py"),
        started_at=T + 5,
        finished_at=T + 6.5,
    )
    nested = ToolCall(
        "call_2", "edit", status=ToolStatus.FAILED, error="no", started_at=T + 6, parent_id="call_1"
    )
    loose = ToolCall("call_1#2", "fetch", status=ToolStatus.DENIED, decision="Denied", started_at=T + 2)
    saved = [SavedToolCall(first, "a2", 7), SavedToolCall(nested, "a2", 0), SavedToolCall(loose, None)]
    base = item("a", "a1", "a2")
    store.import_conversations([ConversationWithMessages(base.conversation, base.messages, saved)])
    assert store.tool_calls("a") == saved  # in the order given, not by start time
    assert store.unused_tool_call_id("a", "call_1") == "call_1#3"
    later = ToolCall("later", "bash", started_at=T + 9)
    store.save_tool_call("a", later, "a2", 3)
    assert [s.call.id for s in store.tool_calls("a")] == ["call_1", "call_2", "call_1#2", "later"]


def test_the_rows_name_every_column_of_their_tables(store: ConversationStore) -> None:
    def columns(table: str) -> set[str]:
        return {row["name"] for row in store.db.execute(f"PRAGMA table_info({table})")}

    assert set(CONVERSATION_COLUMNS) == columns("conversations") - {"hidden"}  # a kept version's row
    assert set(MESSAGE_COLUMNS) == columns("messages")
    assert set(TOOL_CALL_COLUMNS) == columns("tool_calls")


def test_rows_hold_what_sqlite_keeps() -> None:
    row = dict(zip(CONVERSATION_COLUMNS, conversation_row(item("a").conversation), strict=True))
    assert row["pinned"] == 1 and type(row["pinned"]) is int
    calls = [SavedToolCall(ToolCall("x", "t", status=ToolStatus.DONE, files=("é",)), "m", 4)] * 2
    rows = [dict(zip(TOOL_CALL_COLUMNS, r, strict=True)) for r in tool_call_rows("c", calls)]
    assert [(r["conversation_id"], r["seq"], r["message_id"], r["offset"]) for r in rows] == [
        ("c", 1, "m", 4),
        ("c", 2, "m", 4),
    ]
    assert rows[0]["status"] == "done" and rows[0]["files"] == '["é"]'


def test_an_empty_import_changes_nothing(store: ConversationStore) -> None:
    changes = heard(store)
    assert store.import_conversations([]) == store.import_conversations([], positions=[])
    assert store.import_conversations([]).imported == 0 and changes == []
    assert store.count_conversations() == 0
