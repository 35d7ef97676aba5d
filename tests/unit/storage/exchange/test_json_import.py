"""JSON import: what it adds and skips, strict validation of the whole file, and clashes with the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.import_checks import ImportFormatError
from desktop_app.core.storage.exchange.json_format import VERSION, export_json
from desktop_app.core.storage.exchange.json_import import import_json
from desktop_app.core.storage.models import Role
from tests.unit.storage.exchange.samples import counts, dump, populate


def test_imported_messages_are_searchable(make_store: Callable[[str], ConversationStore]) -> None:
    source = make_store("a")
    ids = populate(source)
    target = make_store("b")
    import_json(target, dump(source))
    hits = target.search("zebra")
    assert [(h.conversation_id, h.role) for h in hits] == [(ids["cut"], Role.USER)]
    assert target.search("forgotten") == []  # in the trash, as in the source


def test_existing_conversations_are_skipped(make_store: Callable[[str], ConversationStore]) -> None:
    source = make_store("a")
    ids = populate(source)
    target = make_store("b")
    import_json(target, export_json(load_conversations(source, [ids["plain"]])))
    target.rename(ids["plain"], "Renamed here")
    result = import_json(target, dump(source))
    assert result.imported == 4 and result.skipped == [ids["plain"]]
    assert target.get_conversation(ids["plain"]).title == "Renamed here"  # type: ignore[union-attr]
    again = import_json(target, dump(source))
    assert again.imported == 0 and len(again.skipped) == 5


def test_import_notifies_listeners(make_store: Callable[[str], ConversationStore]) -> None:
    source = make_store("a")
    ids = populate(source)
    target = make_store("b")
    heard: list[str] = []
    target.changed.subscribe(heard.append)
    import_json(target, dump(source))
    assert sorted(heard) == sorted(ids.values())


# -- malformed input ---------------------------------------------------------------------------------
def valid_document(make_store: Callable[[str], ConversationStore]) -> dict[str, Any]:
    source = make_store("source")
    populate(source)
    return dict(json.loads(dump(source)))


def first_message(document: dict[str, Any]) -> dict[str, Any]:
    return dict(document["conversations"][1]["messages"][0])


BAD_DOCUMENTS: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    ("wrong format", lambda d: d.update(format="something-else"), "format: expected"),
    ("newer version", lambda d: d.update(version=VERSION + 1), "newer Copilot Desktop"),
    ("version as text", lambda d: d.update(version="1"), "version: expected a positive integer"),
    ("not a list", lambda d: d.update(conversations={}), "conversations: expected a list"),
    ("unknown top field", lambda d: d.update(extra=1), "document: unknown field 'extra'"),
]
# Each spoils one conversation (the one the message names first): it is left out, the rest imported.
BAD_CONVERSATIONS: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    (
        "missing field",
        lambda d: d["conversations"][2].pop("created_at"),
        "conversations[2]: missing field 'created_at'",
    ),
    (
        "missing messages",
        lambda d: d["conversations"][0].pop("messages"),
        "conversations[0]: missing field 'messages'",
    ),
    (
        "bad role",
        lambda d: d["conversations"][0]["messages"][2].update(role="robot"),
        "conversations[0].messages[2].role: 'robot' is not one of user, assistant, notice",
    ),
    (
        "bad status",
        lambda d: d["conversations"][0]["messages"][2].update(status="done"),
        "conversations[0].messages[2].status: 'done' is not one of streaming, complete",
    ),
    (
        "bad type",
        lambda d: d["conversations"][1]["messages"][1].update(input_tokens="12"),
        "conversations[1].messages[1].input_tokens: expected a 64-bit integer, got '12'",
    ),
    (
        "bool as number",
        lambda d: d["conversations"][1].update(created_at=True),
        "conversations[1].created_at: expected a number, got True",
    ),
    (
        "pinned as int",
        lambda d: d["conversations"][1].update(pinned=1),
        "conversations[1].pinned: expected true or false, got 1",
    ),
    (
        "unknown message field",
        lambda d: d["conversations"][1]["messages"][0].update(tool_calls=[]),
        "conversations[1].messages[0]: unknown field 'tool_calls'",
    ),
    (
        "message of another conversation",
        lambda d: d["conversations"][1]["messages"][0].update(conversation_id="other"),
        "conversations[1].messages[0].conversation_id: 'other' is not the id of its conversation",
    ),
    (
        "duplicate conversation id",
        lambda d: d["conversations"][4].update(id=d["conversations"][1]["id"]),
        "conversations[4].id: .* is also the id of conversations[1]",
    ),
    (
        "duplicate message id",
        lambda d: d["conversations"][1]["messages"].append(
            first_message(d) | {"seq": 99, "conversation_id": d["conversations"][1]["id"]}
        ),
        r"conversations[1].messages[2].id: .* is also the id of conversations[1].messages[0]",
    ),
    (
        "duplicate seq",
        lambda d: d["conversations"][1]["messages"][1].update(seq=1),
        "conversations[1].messages[1].seq: 1 is also the seq of messages[0]",
    ),
    (
        "missing mode",
        lambda d: d["conversations"][3].pop("mode"),
        "conversations[3]: missing field 'mode'",
    ),
    (
        "missing tool calls",
        lambda d: d["conversations"][3].pop("tool_calls"),
        "conversations[3]: missing field 'tool_calls'",
    ),
    (
        "tool calls not a list",
        lambda d: d["conversations"][1].update(tool_calls={}),
        "conversations[1].tool_calls: expected a list, got {}",
    ),
    (
        "tool call not an object",
        lambda d: d["conversations"][1]["tool_calls"].append("call_3"),
        "conversations[1].tool_calls[2]: expected an object, got 'call_3'",
    ),
    (
        "tool call missing field",
        lambda d: d["conversations"][1]["tool_calls"][0].pop("offset"),
        "conversations[1].tool_calls[0]: missing field 'offset'",
    ),
    (
        "tool call unknown field",
        lambda d: d["conversations"][1]["tool_calls"][0].update(shell_output_seen=True),
        "conversations[1].tool_calls[0]: unknown field 'shell_output_seen'",
    ),
    (
        "bad tool status",
        lambda d: d["conversations"][1]["tool_calls"][1].update(status="finished"),
        "conversations[1].tool_calls[1].status: 'finished' is not one of pending, running, done,",
    ),
    (
        "exit code as text",
        lambda d: d["conversations"][1]["tool_calls"][0].update(exit_code="0"),
        "conversations[1].tool_calls[0].exit_code: expected a 64-bit integer, got '0'",
    ),
    (
        "files not a list",
        lambda d: d["conversations"][1]["tool_calls"][0].update(files="a.txt"),
        "conversations[1].tool_calls[0].files: expected a list, got 'a.txt'",
    ),
    (
        "file not a string",
        lambda d: d["conversations"][1]["tool_calls"][1]["files"].append(7),
        "conversations[1].tool_calls[1].files[2]: expected a string, got 7",
    ),
    (
        "negative offset",
        lambda d: d["conversations"][1]["tool_calls"][0].update(offset=-1),
        "conversations[1].tool_calls[0].offset: expected a non-negative integer, got -1",
    ),
    (
        "tool call in another conversation's message",
        lambda d: d["conversations"][1]["tool_calls"][0].update(
            message_id=d["conversations"][2]["messages"][1]["id"]
        ),
        "conversations[1].tool_calls[0].message_id: .* is not the id of a message of its conversation",
    ),
    (
        "duplicate tool call id",
        lambda d: d["conversations"][1]["tool_calls"][1].update(id="call_1"),
        "conversations[1].tool_calls[1].id: 'call_1' is also the id of tool_calls[0]",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [(c, m) for _, c, m in BAD_DOCUMENTS], ids=[n for n, _, _ in BAD_DOCUMENTS]
)
def test_a_bad_document_is_refused_whole(
    make_store: Callable[[str], ConversationStore],
    change: Callable[[dict[str, Any]], object],
    message: str,
) -> None:
    document = valid_document(make_store)
    change(document)
    target = make_store("target")
    target.add_message(target.create_conversation("mine").id, Role.USER, "keep me")
    before = counts(target)
    with pytest.raises(ImportFormatError) as error:
        import_json(target, json.dumps(document))
    assert _matches(message, str(error.value)), str(error.value)
    assert counts(target) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [(c, m) for _, c, m in BAD_CONVERSATIONS],
    ids=[n for n, _, _ in BAD_CONVERSATIONS],
)
def test_a_bad_conversation_is_left_out_with_the_reason(
    make_store: Callable[[str], ConversationStore],
    change: Callable[[dict[str, Any]], object],
    message: str,
) -> None:
    document = valid_document(make_store)
    change(document)
    bad = int(message.split("[", 1)[1].split("]", 1)[0])
    target = make_store("target")
    target.add_message(target.create_conversation("mine").id, Role.USER, "keep me")
    result = import_json(target, json.dumps(document))
    assert [r.index for r in result.rejected] == [bad]
    assert _matches(message, result.rejected[0].reason), result.rejected[0].reason
    assert result.imported == len(document["conversations"]) - 1
    good = [c["id"] for k, c in enumerate(document["conversations"]) if k != bad]
    assert all(target.get_conversation(cid) is not None for cid in good)
    assert counts(target)[0] == 1 + result.imported
    assert load_conversations(target)  # and the store still exports


def test_a_file_with_no_good_conversation_is_refused(make_store: Callable[[str], ConversationStore]) -> None:
    document = valid_document(make_store)
    for conversation in document["conversations"]:
        conversation["mode"] = "root"
    target = make_store("target")
    with pytest.raises(ImportFormatError, match=r"conversations\[0\]\.mode: 'root' is not one of .* 4 more"):
        import_json(target, json.dumps(document))
    assert counts(target) == (0, 0, 0)


def _matches(pattern: str, text: str) -> bool:
    """Every piece of ``pattern`` is in ``text`` ('.*' stands for an id)."""
    return all(piece in text for piece in pattern.split(".*"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[]", "not a Copilot Desktop export"),
        (b'{"format": "copilot-desktop-conversations", "version": 1, "conversations": [NaN]}', "NaN"),
        (b"", "not valid JSON"),
    ],
)
def test_unreadable_input_is_refused(
    make_store: Callable[[str], ConversationStore], data: bytes, message: str
) -> None:
    target = make_store("target")
    with pytest.raises(ImportFormatError, match=message):
        import_json(target, data)
    assert counts(target) == (0, 0, 0)


def test_a_clash_with_an_existing_message_leaves_that_conversation_out(
    make_store: Callable[[str], ConversationStore],
) -> None:
    document = valid_document(make_store)
    target = make_store("target")
    mine = target.create_conversation("mine")
    clashing = document["conversations"][3]["messages"][0]["id"]  # after three that fit
    target.add_message(mine.id, Role.USER, "taken id", message_id=clashing)
    result = import_json(target, json.dumps(document))
    assert result.imported == 4
    left_out = [(r.index, r.conversation_id) for r in result.rejected]
    assert left_out == [(3, document["conversations"][3]["id"])]
    assert "conversations[3].messages[0].id" in result.rejected[0].reason
    assert "already belongs to another conversation" in result.rejected[0].reason
    assert target.get_conversation(document["conversations"][3]["id"]) is None
    assert target.get_message(clashing).conversation_id == mine.id  # type: ignore[union-attr]


def test_a_session_another_conversation_has_is_refused(
    make_store: Callable[[str], ConversationStore],
) -> None:
    document = valid_document(make_store)
    target = make_store("target")
    session = next(c["session_id"] for c in document["conversations"] if c["session_id"])
    target.create_conversation("mine", session_id=session)
    result = import_json(target, json.dumps(document))
    assert result.imported == 4
    assert "is already the session of conversation" in result.rejected[0].reason


def test_a_version_1_file_imports_with_the_defaults(make_store: Callable[[str], ConversationStore]) -> None:
    document = valid_document(make_store)
    document["version"] = 1
    for conversation in document["conversations"]:
        for key in ("mode", "working_dir", "tool_calls", "reasoning_effort", "origin_id"):
            del conversation[key]
        for message in conversation["messages"]:
            del message["premium_cost"], message["attachments"]
    target = make_store("target")
    assert import_json(target, json.dumps(document)).imported == 5
    for conversation in document["conversations"]:
        imported = target.get_conversation(conversation["id"])
        assert imported is not None and (imported.mode, imported.working_dir) == ("chat", "")
        assert target.tool_calls(imported.id) == [] and imported.reasoning_effort == ""
        assert imported.origin_id == ""
        assert all(m.premium_cost is None for m in target.messages(imported.id))
    assert json.loads(dump(target))["version"] == VERSION == 5


def test_a_version_2_file_imports_with_the_models_default_effort(
    make_store: Callable[[str], ConversationStore],
) -> None:
    document = valid_document(make_store)
    document["version"] = 2
    for conversation in document["conversations"]:
        del conversation["reasoning_effort"]
        for message in conversation["messages"]:
            del message["premium_cost"], message["attachments"]
    target = make_store("target")
    assert import_json(target, json.dumps(document)).imported == 5
    efforts = {target.get_conversation(c["id"]).reasoning_effort for c in document["conversations"]}  # type: ignore[union-attr]
    assert efforts == {""}
    document["version"] = 3  # a version 3 file must say it
    with pytest.raises(ImportFormatError, match="missing field 'reasoning_effort'"):
        import_json(make_store("again"), json.dumps(document))


def test_a_conversations_effort_goes_out_and_comes_back(
    make_store: Callable[[str], ConversationStore],
) -> None:
    source = make_store("source")
    chosen = source.create_conversation("thinks hard", model="gpt-5", reasoning_effort="high")
    target = make_store("target")
    assert import_json(target, dump(source)).imported == 1
    assert target.get_conversation(chosen.id).reasoning_effort == "high"  # type: ignore[union-attr]


def test_a_version_3_file_needs_each_messages_cost(make_store: Callable[[str], ConversationStore]) -> None:
    document = valid_document(make_store)
    del document["conversations"][0]["messages"][0]["premium_cost"]
    result = import_json(make_store("target"), json.dumps(document))
    assert "missing field 'premium_cost'" in result.rejected[0].reason


def test_the_same_tool_call_id_in_two_conversations_imports(
    make_store: Callable[[str], ConversationStore],
) -> None:
    document = valid_document(make_store)
    ids = [[t["id"] for t in c["tool_calls"]] for c in document["conversations"]]
    assert ids[0] == ["call_1"] and ids[1] == ["call_1", "call_2"]
    target = make_store("target")
    import_json(target, json.dumps(document))
    assert counts(target)[2] == 4


def test_an_integer_timestamp_is_accepted(make_store: Callable[[str], ConversationStore]) -> None:
    document = valid_document(make_store)
    document["conversations"][0]["created_at"] = 1714550400
    target = make_store("target")
    import_json(target, json.dumps(document))
    assert json.loads(dump(target))["conversations"][0]["created_at"] == 1714550400.0
