"""Export (JSON, Markdown, HTML) and import: lossless round trips, strict validation, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.config.paths import AppPaths
from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.exchange.export import (
    FORMAT,
    VERSION,
    ImportFormatError,
    UnknownConversationError,
    code_span,
    export_html,
    export_json,
    export_markdown,
    fenced,
    import_json,
    load_conversations,
    message_markdown,
    tool_call_html,
    tool_call_markdown,
)
from desktop_app.core.storage.models import Message, Role, SavedToolCall, Status
from desktop_app.main import main

REPO = Path(__file__).resolve().parents[3]
SCRIPT = '<script>alert("pwned")</script>'


class Clock:
    """Awkward floats on purpose: they must survive JSON and SQLite bit for bit."""

    def __init__(self) -> None:
        self.now = 1714550400.1 + 0.2

    def __call__(self) -> float:
        self.now += 61.123456789
        return self.now


def open_store(root: Path) -> ConversationStore:
    return ConversationStore(open_database(AppPaths.under(root).data_dir).connection, clock=Clock())


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[Callable[[str], ConversationStore]]:
    stores: list[ConversationStore] = []

    def make(name: str) -> ConversationStore:
        stores.append(open_store(tmp_path / name))
        return stores[-1]

    yield make
    for store in stores:
        store.close()


CODE_REPLY = "Here is code:\n\n```python\nprint('hi')\n```\n\nAnd a **bold** word."
TRACEBACK = f"Traceback\n```\nnot the end of the block\n````\n{SCRIPT}\n"


def populate(store: ConversationStore) -> dict[str, str]:
    """Several conversations covering every field; returns their ids by nickname."""
    plain = store.create_conversation(
        "Plain", model="gpt-x", provider="copilot", session_id="s-1", mode="agent", working_dir="/src/ü"
    )
    store.add_message(plain.id, Role.USER, "Hello 👋 café — naïve ünïcode")
    reply = store.add_message(
        plain.id,
        Role.ASSISTANT,
        "Here is code:\n\n```python\nprint('hi')\n```\n\nAnd a **bold** word.",
        reasoning="The user greets me.\nI should answer politely.",
        model="gpt-x",
        input_tokens=12,
        output_tokens=345,
        duration_ms=1234.5678,
        ttft_ms=0.1 + 0.2,
    )
    echo = ToolCall(
        "call_1",
        "bash",
        title="Running command",
        arguments='{\n  "command": "echo hi"\n}',
        command="echo hi",
        status=ToolStatus.DONE,
        output="hi\n",
        result="hi",
        exit_code=0,
        permission="Run a shell command\necho hi",
        decision="Allowed once",
        started_at=1714550500.25,
        finished_at=1714550501.45,
    )
    store.save_tool_call(plain.id, echo, reply.id, len("Here is code:"))
    failing = ToolCall(
        "call_2",
        "edit",
        arguments="not json",
        status=ToolStatus.FAILED,
        output=TRACEBACK,
        error="it broke\nbadly",
        exit_code=1,
        files=("a.txt", "dir/b `x`.py"),
        started_at=1714550502.1 + 0.2,
        finished_at=1714550503.0,
        parent_id="call_1",
    )
    store.save_tool_call(plain.id, failing, reply.id, CODE_REPLY.index("print"))  # inside the code
    pinned = store.create_conversation("Pinned 📌", created_at=1714550400.0)
    store.set_pinned(pinned.id, True)
    store.set_draft(pinned.id, "half a thought")
    store.add_message(pinned.id, Role.USER, f"What does {SCRIPT} do?")
    store.add_message(pinned.id, Role.ASSISTANT, f"It runs {SCRIPT} — never do that.", model="")
    store.add_message(pinned.id, Role.NOTICE, "Stopped.\nSecond line", status=Status.ABORTED)
    denied = ToolCall(
        "call_1", f"fetch{SCRIPT}", status=ToolStatus.DENIED, decision="Denied", started_at=1714550400.5
    )
    store.save_tool_call(pinned.id, denied)  # in no message
    cut = store.create_conversation("")
    store.add_message(cut.id, Role.USER, "zebra crossing")
    cut_reply = store.add_message(
        cut.id, Role.ASSISTANT, "partial", status=Status.INTERRUPTED, error="CLI died"
    )
    waiting = ToolCall("ask", "write", status=ToolStatus.PENDING, started_at=1714550600.0)
    store.save_tool_call(cut.id, waiting, cut_reply.id, 99)  # past the end of the text
    trashed = store.create_conversation("Old stuff")
    store.add_message(trashed.id, Role.USER, "forgotten words")
    store.trash(trashed.id)
    empty = store.create_conversation("No messages yet")
    return {"plain": plain.id, "pinned": pinned.id, "cut": cut.id, "trashed": trashed.id, "empty": empty.id}


def dump(store: ConversationStore) -> str:
    return export_json(load_conversations(store))


def counts(store: ConversationStore) -> tuple[int, int, int]:
    messages = store.db.execute("SELECT count(*) FROM messages").fetchone()[0]
    tools = store.db.execute("SELECT count(*) FROM tool_calls").fetchone()[0]
    return store.count_conversations(), messages, tools


# -- JSON round trip ---------------------------------------------------------------------------------
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


def test_unknown_conversation_id_is_refused(make_store: Callable[[str], ConversationStore]) -> None:
    with pytest.raises(UnknownConversationError, match="nope"):
        load_conversations(make_store("a"), ["nope"])


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
        for key in ("mode", "working_dir", "tool_calls"):
            del conversation[key]
    target = make_store("target")
    assert import_json(target, json.dumps(document)).imported == 5
    for conversation in document["conversations"]:
        imported = target.get_conversation(conversation["id"])
        assert imported is not None and (imported.mode, imported.working_dir) == ("chat", "")
        assert target.tool_calls(imported.id) == []
    assert json.loads(dump(target))["version"] == VERSION == 2


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


# -- Markdown and HTML -------------------------------------------------------------------------------
def test_markdown_export(make_store: Callable[[str], ConversationStore]) -> None:
    store = make_store("a")
    ids = populate(store)
    text = export_markdown(load_conversations(store, [ids["plain"], ids["pinned"], ids["cut"]]), tz=UTC)
    assert text.startswith("# Pinned 📌\n")
    assert "\n# Plain\n" in text and "\n# zebra crossing\n" in text  # the last one named by its prompt
    assert "### You · 2024-05-01" in text and "### Copilot (gpt-x) · 2024-05-01" in text
    reasoning = "The user greets me.\nI should answer politely."
    assert f"<details><summary>Reasoning</summary>\n\n{reasoning}\n\n</details>" in text
    assert "```python\nprint('hi')\n```" in text
    assert "> Stopped.\n> Second line" in text and "### Notice · " in text and "(aborted)" in text
    assert "(interrupted)" in text and "> Error: CLI died" in text
    assert text.count("\n---\n") == 2


def test_markdown_shows_each_tool_call_where_it_happened(
    make_store: Callable[[str], ConversationStore],
) -> None:
    store = make_store("a")
    ids = populate(store)
    text = export_markdown(load_conversations(store, [ids["plain"], ids["pinned"], ids["cut"]]), tz=UTC)
    echo = "> 🔧 **bash** — `echo hi` · done · exit 0 · 1.2 s\n>\n> Permission: Allowed once"
    edit = "> ↳ 🔧 **edit** · failed · exit 1 · 0.7 s\n>\n> Error: it broke badly"
    order = ["Here is code:", echo, "```python\nprint('hi')\n```", edit, "And a **bold** word."]
    assert [text.index(piece) for piece in order] == sorted(text.index(piece) for piece in order)
    details = text[text.index(echo) : text.index("```python")]
    assert '**Arguments**\n\n```json\n{\n  "command": "echo hi"\n}\n```' in details
    assert "**Permission request**\n\n```\nRun a shell command\necho hi\n```" in details
    assert "**Output**\n\n```\nhi\n```" in details and "**Result**" not in details  # same as output
    assert f"`````\n{TRACEBACK}`````" in text  # a fence longer than any in the output
    assert "**Error**\n\n```\nit broke\nbadly\n```" in text
    assert "- `a.txt`\n- ``dir/b `x`.py``" in text
    loose = text.index("### Tool calls\n\n> 🔧 **fetch\\<script\\>")
    assert text.index("### Notice") < loose < text.index("# Plain")
    assert "partial\n\n> 🔧 **write** · pending\n\n> Error: CLI died" in text  # offset past the end


def message(content: str, role: Role = Role.ASSISTANT) -> Message:
    return Message("m", "c", 2, role, content, 1714550400.0, 1714550400.0)


def placed(offset: int, call_id: str = "x") -> SavedToolCall:
    return SavedToolCall(ToolCall(call_id, call_id, status=ToolStatus.DONE, started_at=1.0), "m", offset)


@pytest.mark.parametrize(
    ("content", "offsets", "expected"),
    [
        ("one two", [0], ["TOOL x", "one two"]),
        ("one\n\ntwo", [3, 3], ["one", "TOOL x", "TOOL y", "two"]),  # same place: start order
        ("one\n\ntwo", [5, 3], ["one", "TOOL y", "TOOL x", "two"]),
        ("a\n```\ncode\n```\nb", [4], ["a\n```\ncode\n```", "TOOL x", "b"]),  # not in a code block
        ("a\n~~~~\nopen block", [5], ["a\n~~~~\nopen block", "TOOL x"]),
        ("text", [10_000], ["text", "TOOL x"]),
    ],
)
def test_tool_calls_cut_the_text_at_their_offsets(
    content: str, offsets: list[int], expected: list[str]
) -> None:
    calls = [placed(o, call_id) for o, call_id in zip(offsets, "xyz", strict=False)]
    text = message_markdown(message(content), calls)
    parts = text.split("\n\n", 1)[1]
    for call_id in "xyz":
        parts = parts.replace(f"> 🔧 **{call_id}** · done", f"TOOL {call_id}")
    assert parts.split("\n\n") == expected


def test_a_tool_call_block_shows_its_text_as_it_is() -> None:
    call = ToolCall(
        "c", "my_tool*", command="echo `date` && cat <x>", status=ToolStatus.RUNNING, started_at=1.0
    )
    block = tool_call_markdown(call)
    assert block == "> 🔧 **my\\_tool\\*** — ``echo `date` && cat <x>`` · running"  # nothing to unfold
    long = tool_call_markdown(ToolCall("c", "bash", command="x" * 500 + "\nsecond line", started_at=1.0))
    assert "x" * 118 + "…`" in long and "second line" not in long.split("\n")[0]
    assert (
        fenced("a ```` b") == "`````\na ```` b\n`````" and fenced("plain\n", "json") == "```json\nplain\n```"
    )
    assert code_span("`x`") == "`` `x` ``" and code_span("x") == "`x`"


def test_a_tool_call_in_html_is_escaped_everywhere() -> None:
    nasty = ToolCall(
        "c",
        SCRIPT,
        title=SCRIPT,
        command="run " + SCRIPT,
        arguments=SCRIPT,
        status=ToolStatus.FAILED,
        output=SCRIPT,
        result="done",
        error=SCRIPT,
        files=(SCRIPT,),
        permission=SCRIPT,
        decision=SCRIPT,
        started_at=1.0,
    )
    block = tool_call_html(nasty)
    assert "<script" not in block and block.count("&lt;script&gt;") == 8
    assert block.startswith('<div class="tool failed"><p class="tool-head">🔧 <strong>')


def test_html_export_is_self_contained_and_safe(make_store: Callable[[str], ConversationStore]) -> None:
    store = make_store("a")
    populate(store)
    page = export_html(load_conversations(store), tz=UTC)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and ".codehilite" in page
    assert "<script" not in page.lower()
    assert '&lt;script&gt;alert("pwned")&lt;/script&gt;' in page  # the user's words, escaped
    assert "&lt;script&gt;" in page.split('class="message assistant"')[1]  # the model's too
    assert "<details><summary>Reasoning</summary>" in page
    assert '<span class="nb">print</span>' in page  # highlighted code
    for external in ("<link", " src=", "@import", "url("):
        assert external not in page
    assert "Hello 👋 café" in page and "(interrupted)" in page
    plain = page[page.index("<h1>Plain</h1>") :]
    order = ["<p>Here is code:</p>", '<div class="tool done">', '<span class="nb">print</span>']
    order += [
        '<div class="tool failed"><p class="tool-head">↳ 🔧 <strong>edit</strong>',
        "<strong>bold</strong>",
    ]
    assert [plain.index(piece) for piece in order] == sorted(plain.index(piece) for piece in order)
    assert "<code>echo hi</code> · done · exit 0 · 1.2 s</p>" in plain
    assert '<p class="meta">Permission: Allowed once</p>' in plain
    assert '<section class="message tools"><header>Tool calls</header><div class="tool denied">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert 'href="copy:' not in page and "copy:code" not in page  # no app links in a browser


# -- command line ------------------------------------------------------------------------------------
@pytest.fixture
def data_root(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "app"
    store = open_store(root)
    populate(store)
    store.close()
    yield root


def test_cli_exports_to_stdout(data_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data-dir", str(data_root), "--all", "--format", "json"]) == 0
    out = capsys.readouterr().out
    store = open_store(data_root)
    try:
        assert out == dump(store)
    finally:
        store.close()


def test_cli_exports_one_conversation_to_a_file(
    data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(data_root)
    (plain,) = [c for c in store.list_conversations() if c.title == "Plain"]
    store.close()
    target = tmp_path / "out.md"
    argv = ["export", "--data-dir", str(data_root), "--conversation", plain.id, "--format", "md", "-o"]
    assert main([*argv, str(target)]) == 0
    assert capsys.readouterr().out == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Plain\n") and "Pinned" not in text
    assert main(["export", "--data-dir", str(data_root), "--all", "--format", "html", "-o", str(target)]) == 0
    assert "<!DOCTYPE html>" in target.read_text(encoding="utf-8")


def test_cli_import(data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "all.json"
    assert (
        main(["export", "--data-dir", str(data_root), "--all", "--format", "json", "-o", str(exported)]) == 0
    )
    fresh = tmp_path / "fresh"
    assert main(["import", "--data-dir", str(fresh), str(exported)]) == 0
    assert "Imported 5 conversations; skipped 0 that already exist." in capsys.readouterr().err
    assert main(["import", "--data-dir", str(fresh), str(exported)]) == 0
    assert "Imported 0 conversations; skipped 5 that already exist." in capsys.readouterr().err
    assert main(["export", "--data-dir", str(fresh), "--all", "--format", "json"]) == 0
    assert capsys.readouterr().out == exported.read_text(encoding="utf-8")


def test_cli_import_names_each_conversation_left_out(
    data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "all.json"
    arguments = ["export", "--data-dir", str(data_root), "--all", "-o", str(exported), "--format", "json"]
    assert main(arguments) == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["conversations"][2]["mode"] = "root"
    exported.write_text(json.dumps(document), encoding="utf-8")
    assert main(["import", "--data-dir", str(tmp_path / "fresh"), str(exported)]) == 0
    err = capsys.readouterr().err
    assert "Imported 4 conversations" in err
    cid = document["conversations"][2]["id"]
    assert f"Left out {cid}: conversations[2].mode: 'root' is not one of chat, agent" in err


def test_cli_unknown_conversation(data_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data-dir", str(data_root), "--conversation", "nope", "--format", "md"]) == 1
    captured = capsys.readouterr()
    assert "nope" in captured.err and captured.out == ""


def test_cli_bad_file_changes_nothing(
    data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "copilot-desktop-conversations", "version": 99, "conversations": []}')
    store = open_store(data_root)
    before = counts(store)
    assert main(["import", "--data-dir", str(data_root), str(bad)]) == 1
    assert "newer Copilot Desktop" in capsys.readouterr().err
    assert main(["import", "--data-dir", str(data_root), str(tmp_path / "missing.json")]) == 1
    assert "Cannot read" in capsys.readouterr().err
    assert counts(store) == before
    store.close()
    assert main(["import", "--data-dir", str(tmp_path / "new"), str(bad)]) == 1
    assert not (tmp_path / "new").exists()  # a bad file creates no empty store either


def test_cli_usage_errors(data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data-dir", str(data_root), "--format", "md"]) == 2  # neither --all nor an id
    assert main(["export", "--data-dir", str(data_root), "--all", "--format", "pdf"]) == 2
    assert main(["import"]) == 2
    assert "usage:" in capsys.readouterr().err
    assert main(["export", "--data-dir", str(tmp_path / "nothing"), "--all", "--format", "md"]) == 1
    assert "No conversations found" in capsys.readouterr().err
    assert not (tmp_path / "nothing").exists()  # a mistyped folder is not created


def test_cli_export_loads_no_qt(data_root: Path) -> None:
    code = (
        "import sys\nfrom desktop_app.main import main\n"
        f"code = main(['export', '--data-dir', {str(data_root)!r}, '--all', '--format', 'html', '-o', "
        f"{str(data_root / 'x.html')!r}])\n"
        "qt = ('PySide6', 'shiboken6', 'qasync')\n"
        "print(code, sorted(n for n in sys.modules if n.split('.')[0] in qt))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 []"
