"""The JSON backup document: lossless, deterministic round trips, versioned and in export order."""

from __future__ import annotations

import json
from collections.abc import Callable

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange.json_format import FORMAT, VERSION
from desktop_app.core.storage.exchange.json_import import import_json
from tests.unit.storage.exchange.samples import counts, dump, populate


def test_export_import_export_gives_identical_bytes(make_store: Callable[[str], ConversationStore]) -> None:
    source = make_store("a")
    populate(source)
    first = dump(source)
    target = make_store("b")
    result = import_json(target, first.encode("utf-8"))
    assert (result.imported, result.skipped) == (5, [])
    assert dump(target) == first
    assert counts(target) == counts(source) == (5, 8, 4)


def test_import_keeps_every_field(make_store: Callable[[str], ConversationStore]) -> None:
    source = make_store("a")
    ids = populate(source)
    target = make_store("b")
    import_json(target, dump(source))
    for cid in ids.values():
        assert target.get_conversation(cid) == source.get_conversation(cid)
        assert target.messages(cid) == source.messages(cid)
        assert target.tool_calls(cid) == source.tool_calls(cid)
    assert target.get_conversation(ids["plain"]).working_dir == "/src/ü"  # type: ignore[union-attr]
    assert [s.call.id for s in target.tool_calls(ids["plain"])] == ["call_1", "call_2"]
    assert target.get_conversation(ids["pinned"]).pinned  # type: ignore[union-attr]
    assert target.get_conversation(ids["trashed"]).trashed_at is not None  # type: ignore[union-attr]


def test_the_document_is_versioned_and_ordered(make_store: Callable[[str], ConversationStore]) -> None:
    store = make_store("a")
    ids = populate(store)
    document = json.loads(dump(store))
    assert list(document) == ["format", "version", "conversations"]
    assert (document["format"], document["version"]) == (FORMAT, VERSION)
    conversations = document["conversations"]
    assert conversations[0]["id"] == ids["pinned"]  # created earliest, though made second
    assert [c["created_at"] for c in conversations] == sorted(c["created_at"] for c in conversations)
    message = conversations[1]["messages"][1]
    assert message["ttft_ms"] == 0.1 + 0.2 and message["input_tokens"] == 12
    assert [m["seq"] for m in conversations[1]["messages"]] == [1, 2]
    assert conversations[1]["session_id"] == "s-1" and conversations[0]["session_id"] is None
    assert (conversations[1]["mode"], conversations[0]["mode"]) == ("agent", "chat")
    echo = conversations[1]["tool_calls"][0]
    assert list(echo) == [
        "id", "name", "title", "arguments", "command", "status", "output", "result", "error",
        "exit_code", "files", "permission", "decision", "started_at", "finished_at", "parent_id",
        "message_id", "offset",
    ]  # fmt: skip
    assert (echo["status"], echo["exit_code"], echo["offset"]) == ("done", 0, 13)
    assert echo["message_id"] == conversations[1]["messages"][1]["id"]
    assert conversations[1]["tool_calls"][1]["files"] == ["a.txt", "dir/b `x`.py"]
    assert conversations[0]["tool_calls"][0]["message_id"] is None
    assert conversations[4]["tool_calls"] == []
    assert "👋" in dump(store)  # readable, not \\u escapes


def test_same_store_same_bytes(make_store: Callable[[str], ConversationStore]) -> None:
    store = make_store("a")
    populate(store)
    assert dump(store) == dump(store)
