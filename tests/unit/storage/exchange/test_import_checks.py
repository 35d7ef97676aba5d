"""Import range checks (ids, times, modes, sizes), fuzzed imports, and a store with a bad row."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.exchange import import_checks
from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.html_format import export_html
from desktop_app.core.storage.exchange.import_checks import ImportFormatError
from desktop_app.core.storage.exchange.json_format import FORMAT, VERSION, export_json
from desktop_app.core.storage.exchange.json_import import import_json
from desktop_app.core.storage.exchange.markdown_format import export_markdown
from desktop_app.core.storage.models import ImportResult, Role
from desktop_app.core.vocabulary.access import Mode

T = 1714550400.5  # 2024


def open_store(path: Path) -> ConversationStore:
    ticks = iter(range(10**6))
    return ConversationStore(open_database(path).connection, clock=lambda: T + next(ticks))


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[Callable[[], ConversationStore]]:
    stores: list[ConversationStore] = []

    def make() -> ConversationStore:
        stores.append(open_store(tmp_path / f"s{len(stores)}"))
        return stores[-1]

    yield make
    for store in stores:
        store.close()


def sample(store: ConversationStore) -> None:
    """Three conversations: one in agent mode with a session, a tool call and two messages."""
    first = store.create_conversation("One", session_id="s-1", mode="agent", working_dir="/src")
    store.add_message(first.id, Role.USER, "hi")
    reply = store.add_message(first.id, Role.ASSISTANT, "hello", input_tokens=3, duration_ms=5.0)
    call = ToolCall("toolu_01#2", "bash", status=ToolStatus.DONE, files=("a.py",), started_at=T)
    store.save_tool_call(first.id, call, reply.id, 2)
    store.add_message(store.create_conversation("Two").id, Role.USER, "second")
    store.create_conversation("Three", session_id="s-3")


def document(make_store: Callable[[], ConversationStore]) -> dict[str, Any]:
    source = make_store()
    sample(source)
    data: dict[str, Any] = json.loads(export_json(load_conversations(source)))
    return data


def test_the_known_modes_are_the_services() -> None:
    assert tuple(m.value for m in Mode) == import_checks.MODES


BIG = 2**60


def _set_id(conversation: dict[str, Any], cid: str) -> None:
    conversation["id"] = cid
    for message in conversation["messages"]:
        message["conversation_id"] = cid


# (what, change to conversations[0], the reason's start)
BAD: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    ("far future", lambda c: c.update(created_at=1e12), "conversations[0].created_at: 1000000000000.0"),
    ("before 1970", lambda c: c.update(updated_at=-1.0), "conversations[0].updated_at: -1.0 is not a time"),
    ("trashed in 2200", lambda c: c.update(trashed_at=7.3e9), "conversations[0].trashed_at"),
    ("unknown mode", lambda c: c.update(mode="yolo"), "mode: 'yolo' is not one of chat, agent"),
    ("session path", lambda c: c.update(session_id="../../etc"), "conversations[0].session_id: '../../etc'"),
    ("session too long", lambda c: c.update(session_id="a" * 129), "conversations[0].session_id"),
    ("session with space", lambda c: c.update(session_id="a b"), "is not a well-formed id"),
    ("empty id", lambda c: _set_id(c, ""), "conversations[0].id: '' is not a well-formed id"),
    ("id with slash", lambda c: _set_id(c, "a/b"), "conversations[0].id"),
    ("relative folder", lambda c: c.update(working_dir="src"), "working_dir: 'src' is not an absolute path"),
    ("folder with NUL", lambda c: c.update(working_dir="/a\x00b"), "contains control characters"),
    ("long title", lambda c: c.update(title="x" * 5000), "conversations[0].title: 5000 characters"),
    ("message id", lambda c: c["messages"][0].update(id="m 1"), "conversations[0].messages[0].id"),
    ("seq zero", lambda c: c["messages"][0].update(seq=0), "messages[0].seq: 0 is not a positive"),
    ("message time", lambda c: c["messages"][1].update(created_at=1e300), "messages[1].created_at"),
    ("negative tokens", lambda c: c["messages"][1].update(input_tokens=-5), "input_tokens: -5 is not"),
    ("huge tokens", lambda c: c["messages"][1].update(output_tokens=BIG), "output_tokens"),
    ("long duration", lambda c: c["messages"][1].update(duration_ms=1e15), "duration_ms"),
    ("negative cost", lambda c: c["messages"][1].update(premium_cost=-1.0), "premium_cost: -1.0 is not"),
    ("tool call id", lambda c: c["tool_calls"][0].update(id="a\nb"), "tool_calls[0].id"),
    ("tool call time", lambda c: c["tool_calls"][0].update(started_at=0.5e11), "tool_calls[0].started_at"),
    ("tool name", lambda c: c["tool_calls"][0].update(name="n" * 5000), "tool_calls[0].name"),
    ("offset", lambda c: c["tool_calls"][0].update(offset=BIG), "tool_calls[0].offset"),
]


@pytest.mark.parametrize(("change", "reason"), [(c, r) for _, c, r in BAD], ids=[n for n, _, _ in BAD])
def test_a_value_out_of_range_leaves_its_conversation_out(
    make_store: Callable[[], ConversationStore], change: Callable[[dict[str, Any]], object], reason: str
) -> None:
    data = document(make_store)
    change(data["conversations"][0])
    target = make_store()
    result = import_json(target, json.dumps(data))
    assert result.imported == 2
    assert len(result.rejected) == 1 and result.rejected[0].index == 0
    assert reason in result.rejected[0].reason, result.rejected[0].reason
    assert target.count_conversations() == 2


def test_the_same_session_twice_in_a_file(make_store: Callable[[], ConversationStore]) -> None:
    data = document(make_store)
    data["conversations"][2]["session_id"] = data["conversations"][0]["session_id"]
    result = import_json(make_store(), json.dumps(data))
    assert result.imported == 2
    assert "conversations[2].session_id: 's-1' is also the session of conversations[0]" in (
        result.rejected[0].reason
    )


def test_a_duplicate_message_id_across_conversations(make_store: Callable[[], ConversationStore]) -> None:
    data = document(make_store)
    data["conversations"][1]["messages"][0]["id"] = data["conversations"][0]["messages"][0]["id"]
    data["conversations"][1]["messages"][0]["conversation_id"] = data["conversations"][1]["id"]
    result = import_json(make_store(), json.dumps(data))
    assert result.imported == 2
    assert "is also the id of conversations[0].messages[0]" in result.rejected[0].reason


def test_a_file_too_big_is_refused(
    make_store: Callable[[], ConversationStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = json.dumps(document(make_store))
    monkeypatch.setattr(import_checks, "MAX_DOCUMENT_BYTES", len(text) - 1)
    with pytest.raises(ImportFormatError, match="MiB"):
        import_json(make_store(), text)


def test_the_edges_of_the_ranges_import(make_store: Callable[[], ConversationStore]) -> None:
    data = document(make_store)
    data["conversations"][0]["created_at"] = 0
    data["conversations"][0]["updated_at"] = import_checks.MAX_TIME
    data["conversations"][1]["working_dir"] = "C:\\Users\\me"
    assert import_json(make_store(), json.dumps(data)).imported == 3


# -- fuzzing ---------------------------------------------------------------------------------------
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _import_or_refuse(store: ConversationStore, data: str) -> ImportResult | None:
    """The only two outcomes an import may have; anything else escapes and fails the test."""
    try:
        result = import_json(store, data)
    except ImportFormatError as exc:
        assert str(exc)
        return None
    for rejected in result.rejected:
        assert rejected.reason
    return result


def _still_works(store: ConversationStore) -> None:
    """Everything imported lists, exports in every format, and imports again as it was."""
    store.list_conversations()
    items = load_conversations(store)
    export_markdown(items)
    text = export_json(items)
    again = open_store_in_memory()
    try:
        result = import_json(again, text) if items else None
        assert result is None or (result.imported, result.rejected) == (len(items), [])
        assert result is None or export_json(load_conversations(again)) == text
    finally:
        again.close()


def open_store_in_memory() -> ConversationStore:
    import sqlite3

    from desktop_app.core.storage.database import migrate

    db = sqlite3.connect(":memory:", isolation_level=None)
    db.row_factory = sqlite3.Row
    migrate(db, Path(":memory:"))
    return ConversationStore(db)


@FUZZ
@given(value=JSON)
def test_arbitrary_json_imports_or_is_refused(value: Any) -> None:
    store = open_store_in_memory()
    try:
        _import_or_refuse(store, json.dumps(value))
        wrapped = {"format": FORMAT, "version": VERSION, "conversations": [value]}
        _import_or_refuse(store, json.dumps(wrapped))
        _still_works(store)
    finally:
        store.close()


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, as a path of keys and indices."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for k, item in enumerate(value):
            found += _paths(item, (*prefix, k))
    return found


@pytest.fixture(scope="module")
def valid_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    source = open_store(tmp_path_factory.mktemp("fuzz"))
    try:
        sample(source)
        return export_json(load_conversations(source))
    finally:
        source.close()


@FUZZ
@given(data=st.data(), value=JSON)
def test_a_valid_file_with_any_value_replaced_imports_or_is_refused(
    valid_text: str, data: st.DataObject, value: Any
) -> None:
    document = json.loads(valid_text)
    path = data.draw(st.sampled_from(_paths(document)[1:]))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    store = open_store_in_memory()
    try:
        result = _import_or_refuse(store, json.dumps(document))
        if result is not None:
            # Every conversation in the file is imported, left out or skipped (an empty list is
            # an empty backup, not an error).
            total = len(document["conversations"])
            assert result.imported + len(result.rejected) + len(result.skipped) == total
        _still_works(store)
    finally:
        store.close()


# -- a bad row already in the store ------------------------------------------------------------------
@pytest.mark.expected_warnings
def test_a_bad_row_in_the_store_breaks_neither_the_list_nor_export_all(
    make_store: Callable[[], ConversationStore],
) -> None:
    store = make_store()
    sample(store)
    good = store.list_conversations()
    with store.transaction() as db:  # what another tool, a bug or a damaged file might leave
        db.execute(
            "INSERT INTO conversations (id, title, created_at, updated_at, pinned, mode, session_id) "
            "VALUES ('bad', x'ff00', 'yesterday', 1e300, 7, 'root', 42)"
        )
        db.execute(
            "INSERT INTO messages (id, conversation_id, seq, role, content, created_at, updated_at, "
            "input_tokens, duration_ms) "
            "VALUES ('bad-m', 'bad', 1, 'user', x'c3a9', -5e20, 'x', 'many', 'slow')"
        )
        db.execute(
            "INSERT INTO tool_calls (conversation_id, id, seq, status, files, started_at, exit_code) "
            "VALUES ('bad', 't', 1, 'done', 'not json', 'noon', 'zero')"
        )
    listed = store.list_conversations()
    assert len(listed) == len(good) + 1
    bad = next(c for c in listed if c.id == "bad")
    assert (bad.title, bad.mode, bad.pinned, bad.session_id) == ("\ufffd\x00", "chat", False, "42")
    assert bad.created_at == import_checks.MIN_TIME and bad.updated_at == import_checks.MAX_TIME
    items = load_conversations(store)
    assert len(items) == len(good) + 1
    export_markdown(items)
    export_html(items)
    (message,) = store.messages("bad")
    assert message.content == "é" and message.input_tokens is None and message.duration_ms is None
    (saved,) = store.tool_calls("bad")
    assert saved.call.files == () and saved.call.exit_code is None
    # The export of everything imports again: the bad conversation came out repaired.
    again = make_store()
    result = import_json(again, export_json(items))
    assert (result.imported, result.rejected) == (len(good) + 1, [])
