"""The JSON backup keeps the versions Edit and Regenerate kept: byte for byte, with their sessions,
tool calls and attachments, nested where they hang; and a malformed version is refused with where."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange.import_checks import ImportFormatError
from desktop_app.core.storage.exchange.json_import import import_json
from desktop_app.core.storage.models import Role
from desktop_app.core.storage.versions import ConversationVersions
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind
from tests.unit.storage.exchange.samples import dump


def with_versions(store: ConversationStore) -> str:
    """A conversation whose first prompt was edited, after its second prompt had been edited."""
    versions = ConversationVersions(store)
    cid = store.create_conversation(session_id="s-live").id
    shot = Attachment("shot.png", AttachmentKind.IMAGE, "image/png", b"\x89PNG kept bytes")
    store.add_message(cid, Role.USER, "one", attachments=[shot], created_at=10.0)
    reply = store.add_message(cid, Role.ASSISTANT, "answer one", created_at=11.0)
    store.save_tool_call(cid, ToolCall("t1", "view", status=ToolStatus.DONE, started_at=11.5), reply.id, 2)
    store.add_message(cid, Role.USER, "two", created_at=12.0)
    store.add_message(cid, Role.ASSISTANT, "answer two", created_at=13.0)
    versions.put_away(cid, 3, "s-two")
    store.add_message(cid, Role.USER, "two again", created_at=14.0)
    versions.put_away(cid, 1, "s-one")
    store.add_message(cid, Role.USER, "one again", created_at=15.0)
    return cid


def test_a_backup_round_trip_keeps_every_version_byte_for_byte(
    make_store: Callable[[str], ConversationStore],
) -> None:
    source = make_store("source")
    cid = with_versions(source)
    exported = dump(source)
    document = json.loads(exported)
    (conversation,) = document["conversations"]
    assert [v["at_seq"] for v in conversation["versions"]] == [1, 3]  # in the order they started
    outer, inner = conversation["versions"]
    assert inner["hangs_in"] == outer["id"] and outer["hangs_in"] == ""  # "two" went with its tail
    assert outer["messages"][0]["attachments"][0]["name"] == "shot.png"
    target = make_store("target")
    assert import_json(target, exported).imported == 1
    assert dump(target) == exported
    assert [c.id for c in target.list_conversations()] == [cid]  # the versions stay hidden
    versions = ConversationVersions(target)
    live = target.messages(cid)[0]
    assert versions.places(cid)[live.id].count == 2
    assert versions.switch(cid, live.id, -1)
    restored = target.messages(cid)
    assert [m.content for m in restored] == ["one", "answer one", "two again"]
    assert restored[0].attachments[0].data == b"\x89PNG kept bytes"
    assert target.get_conversation(cid).session_id == "s-one"  # type: ignore[union-attr]
    assert [s.call.id for s in target.tool_calls(cid)] == ["t1"]


def _document(make_store: Callable[[str], ConversationStore]) -> dict[str, Any]:
    source = make_store("bad")
    with_versions(source)
    return dict(json.loads(dump(source)))


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda v: v.__setitem__("hangs_in", "nowhere"), "versions[0].hangs_in"),
        (lambda v: v.__setitem__("at_seq", 0), "versions[0].at_seq"),
        (lambda v: v.__setitem__("session_id", "../../etc"), "versions[0].session_id"),
        (lambda v: v["messages"][0].__setitem__("conversation_id", "other"), "versions[0].messages[0]"),
        (lambda v: v.__setitem__("surprise", 1), "unknown field 'surprise'"),
        (lambda v: v.__setitem__("id", v["messages"][0]["conversation_id"] + "x"), "versions[0].messages[0]"),
    ],
)
def test_a_malformed_version_leaves_its_conversation_out_with_the_reason(
    make_store: Callable[[str], ConversationStore], spoil: Callable[[dict[str, Any]], None], reason: str
) -> None:
    document = _document(make_store)
    spoil(document["conversations"][0]["versions"][0])
    target = make_store("target")
    with pytest.raises(ImportFormatError) as raised:
        import_json(target, json.dumps(document))
    assert reason in str(raised.value)
    assert target.db.execute("SELECT count(*) FROM conversations").fetchone()[0] == 0


def test_a_version_id_the_file_uses_twice_is_refused(make_store: Callable[[str], ConversationStore]) -> None:
    document = _document(make_store)
    versions = document["conversations"][0]["versions"]
    versions[1]["id"] = document["conversations"][0]["id"]
    for message in versions[1]["messages"]:
        message["conversation_id"] = versions[1]["id"]
    target = make_store("target")
    with pytest.raises(ImportFormatError, match="is also the id of conversations"):
        import_json(target, json.dumps(document))
