"""Tool calls and kept permission answers in the conversation store."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.permissions.rules import RuleBook, RuleStorage
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role, SavedToolCall, Status
from desktop_app.core.vocabulary.permission_requests import RequestKind, Rule, RuleScope


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[ConversationStore]:
    s = ConversationStore(open_database(data_dir).connection, clock=lambda: 1000.0)
    yield s
    s.close()


def full_call(call_id: str = "call_1") -> ToolCall:
    """Every field set, with values SQLite must keep exactly."""
    return ToolCall(
        id=call_id,
        name="bash",
        title="Running command",
        arguments='{\n  "command": "ls -la ü"\n}',
        command="ls -la ü",
        status=ToolStatus.DONE,
        output="total 0\n",
        result="total 0",
        error="",
        exit_code=0,
        files=("a.txt", "dir/ü.py"),
        permission="Run a shell command\nls -la ü",
        decision="Allowed once",
        started_at=1714550400.1 + 0.2,
        finished_at=1714550401.7,
        parent_id="call_0",
    )


def test_a_tool_call_round_trips_with_every_field(store: ConversationStore) -> None:
    c = store.create_conversation()
    reply = store.add_message(c.id, Role.ASSISTANT, "Let me look.", status=Status.STREAMING)
    call = full_call()
    store.save_tool_call(c.id, call, reply.id, 12)
    assert store.tool_calls(c.id) == [SavedToolCall(call, reply.id, 12)]
    bare = ToolCall("call_2", "view", started_at=5.0)
    store.save_tool_call(c.id, bare, None, 0)
    (_, saved) = store.tool_calls(c.id)
    assert saved == SavedToolCall(bare, None, 0)
    assert (saved.call.exit_code, saved.call.finished_at, saved.call.files) == (None, None, ())


def test_saving_again_updates_every_field_but_keeps_the_place(store: ConversationStore) -> None:
    c = store.create_conversation()
    reply = store.add_message(c.id, Role.ASSISTANT, "text")
    running = ToolCall("call_1", "bash", command="make", status=ToolStatus.RUNNING, started_at=1.0)
    store.save_tool_call(c.id, running, reply.id, 4)
    done = dataclasses.replace(
        running, status=ToolStatus.FAILED, output="boom", error="exit 2", exit_code=2, finished_at=3.0
    )
    store.save_tool_call(c.id, done)
    assert store.tool_calls(c.id) == [SavedToolCall(done, reply.id, 4)]
    other = store.add_message(c.id, Role.ASSISTANT, "later")
    store.save_tool_call(c.id, done, other.id, 1)  # a place given again replaces the old one
    assert store.tool_calls(c.id) == [SavedToolCall(done, other.id, 1)]
    store.save_tool_call(c.id, done, None, 7)
    assert store.tool_calls(c.id) == [SavedToolCall(done, other.id, 7)]


def test_tool_calls_come_back_in_start_order_per_conversation(store: ConversationStore) -> None:
    a = store.create_conversation()
    b = store.create_conversation()
    for call_id in ("z", "a", "m"):
        store.save_tool_call(a.id, ToolCall(call_id, "t", started_at=1.0))
    store.save_tool_call(b.id, ToolCall("a", "other", started_at=2.0))  # the same id elsewhere
    store.save_tool_call(a.id, ToolCall("z", "renamed", started_at=1.0))  # an update keeps its place
    assert [(s.call.id, s.call.name) for s in store.tool_calls(a.id)] == [
        ("z", "renamed"),
        ("a", "t"),
        ("m", "t"),
    ]
    assert [s.call.name for s in store.tool_calls(b.id)] == ["other"]
    assert store.tool_calls("missing") == []


def test_saving_a_tool_call_does_not_touch_the_conversation_list(store: ConversationStore) -> None:
    c = store.create_conversation()
    heard: list[str] = []
    store.changed.subscribe(heard.append)
    store.message_changed.subscribe(heard.append)
    store.save_tool_call(c.id, ToolCall("x", "t", started_at=1.0))
    assert heard == []
    assert store.get_conversation(c.id) == c  # updated_at unchanged


def test_tool_calls_go_with_their_conversation(store: ConversationStore) -> None:
    keep = store.create_conversation()
    gone = store.create_conversation()
    reply = store.add_message(gone.id, Role.ASSISTANT, "x")
    store.save_tool_call(gone.id, full_call(), reply.id, 1)
    store.save_tool_call(keep.id, full_call(), None, 0)
    store.trash(gone.id)
    assert len(store.tool_calls(gone.id)) == 1  # the trash keeps them
    store.delete_forever(gone.id)
    assert store.tool_calls(gone.id) == []
    assert store.db.execute("SELECT count(*) FROM tool_calls").fetchone()[0] == 1


def test_a_tool_call_needs_an_existing_conversation_and_message(store: ConversationStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.save_tool_call("missing", full_call())
    c = store.create_conversation()
    with pytest.raises(sqlite3.IntegrityError):
        store.save_tool_call(c.id, full_call(), "no-such-message", 0)
    assert store.tool_calls(c.id) == [] and not store.db.in_transaction


def test_unused_tool_call_id(store: ConversationStore) -> None:
    c = store.create_conversation()
    assert store.unused_tool_call_id(c.id, "call_1") == "call_1"
    store.save_tool_call(c.id, ToolCall("call_1", "t", started_at=1.0))
    assert store.unused_tool_call_id(c.id, "call_1") == "call_1#2"
    store.save_tool_call(c.id, ToolCall("call_1#2", "t", started_at=1.0))
    assert store.unused_tool_call_id(c.id, "call_1") == "call_1#3"
    assert store.unused_tool_call_id(store.create_conversation().id, "call_1") == "call_1"


def test_messages_and_search_ignore_tool_calls(store: ConversationStore) -> None:
    c = store.create_conversation()
    reply = store.add_message(c.id, Role.ASSISTANT, "plain answer")
    store.save_tool_call(c.id, dataclasses.replace(full_call(), output="secretword"), reply.id, 0)
    assert [m.content for m in store.messages(c.id)] == ["plain answer"]
    assert store.search("secretword") == []


def test_a_crash_leaves_unfinished_calls_that_the_next_start_marks_failed(store: ConversationStore) -> None:
    a = store.create_conversation()
    b = store.create_conversation()
    store.save_tool_call(a.id, ToolCall("run", "bash", status=ToolStatus.RUNNING, started_at=1.0))
    store.save_tool_call(a.id, ToolCall("ask", "bash", status=ToolStatus.PENDING, error="x", started_at=1.0))
    finished = {s: ToolCall(s.value, "t", status=s, started_at=1.0) for s in ToolStatus}
    for status in (ToolStatus.DONE, ToolStatus.FAILED, ToolStatus.DENIED):
        store.save_tool_call(b.id, finished[status])
    heard: list[str] = []
    store.changed.subscribe(heard.append)
    assert store.mark_interrupted() == [a.id]
    assert heard == [a.id]
    assert [(s.call.status, s.call.error) for s in store.tool_calls(a.id)] == [
        (ToolStatus.FAILED, "Interrupted"),
        (ToolStatus.FAILED, "x"),  # an error already known is kept
    ]
    assert [s.call.status for s in store.tool_calls(b.id)] == [
        ToolStatus.DONE,
        ToolStatus.FAILED,
        ToolStatus.DENIED,
    ]
    assert store.mark_interrupted() == []


def test_the_invalid_status_is_refused_by_the_schema(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.save_tool_call(c.id, full_call())
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE tool_calls SET status = 'finished'")
    assert store.tool_calls(c.id)[0].call.status is ToolStatus.DONE


# -- kept permission answers ------------------------------------------------------------------------


def test_rules_round_trip_and_survive_reopening(store: ConversationStore, data_dir: Path) -> None:
    c = store.create_conversation()
    always = Rule(RequestKind.SHELL, RuleScope.COMMAND, "git status", None, "r1", 10.5)
    here = Rule(RequestKind.WRITE, RuleScope.PATH, "/src/ü", c.id, "r2", 11.25)
    store.add_rules([here, always])
    store.add_rules([])
    assert store.permission_rules() == [always, here]  # oldest first
    other = ConversationStore(open_database(data_dir).connection)
    try:
        assert other.permission_rules() == [always, here]
    finally:
        other.close()
    store.delete_rule("r1")
    store.delete_rule("unknown")
    assert store.permission_rules() == [here]


def test_a_conversations_rules_go_with_it(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_rules([
        Rule(RequestKind.URL, RuleScope.DOMAIN, "example.com", c.id, "mine", 1.0),
        Rule(RequestKind.URL, RuleScope.DOMAIN, "python.org", None, "always", 2.0),
    ])  # fmt: skip
    store.trash(c.id)
    assert [r.id for r in store.permission_rules()] == ["mine", "always"]
    store.delete_forever(c.id)
    assert [r.id for r in store.permission_rules()] == ["always"]


def test_adding_a_known_rule_replaces_it(store: ConversationStore) -> None:
    rule = Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls", None, "r", 1.0)
    store.add_rules([rule])
    store.add_rules([dataclasses.replace(rule, value="ls -l")])
    assert [r.value for r in store.permission_rules()] == ["ls -l"]


def test_a_rule_for_an_unknown_conversation_is_refused_whole(store: ConversationStore) -> None:
    good = Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls", None, "good", 1.0)
    bad = Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls", "no-such-conversation", "bad", 1.0)
    with pytest.raises(sqlite3.IntegrityError):
        store.add_rules([good, bad])
    assert store.permission_rules() == []


@pytest.mark.expected_warnings
def test_a_rule_of_an_unknown_kind_is_skipped(store: ConversationStore) -> None:
    store.add_rules([Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls", None, "ok", 2.0)])
    store.db.execute(
        "INSERT INTO permission_rules (id, kind, scope, value, conversation_id, created_at) "
        "VALUES ('future', 'teleport', 'planet', 'mars', NULL, 1.0)"
    )
    assert [r.id for r in store.permission_rules()] == ["ok"]


def test_the_store_keeps_a_rule_books_rules(store: ConversationStore, data_dir: Path) -> None:
    storage: RuleStorage = store  # the store is what RuleBook expects
    book = RuleBook(store.permission_rules(), storage)
    book.add([Rule(RequestKind.SHELL, RuleScope.COMMAND, "git status")])
    book.add([Rule(RequestKind.SHELL, RuleScope.COMMAND, "git status")])  # known: not added twice
    reopened = ConversationStore(open_database(data_dir).connection)
    try:
        assert reopened.permission_rules() == book.rules
        assert book.revoke(book.rules[0].id)
        assert reopened.permission_rules() == []
    finally:
        reopened.close()
