"""Versions of a conversation's turns (Edit, Regenerate) and branches, in the store."""

from __future__ import annotations

import uuid
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role
from desktop_app.core.storage.versions import LIVE, ConversationVersions
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind
from tests.unit.storage.store_helpers import FakeClock, fts_check


def turn(store: ConversationStore, clock: FakeClock, cid: str, prompt: str) -> tuple[str, str]:
    clock.advance()
    user = store.add_message(cid, Role.USER, prompt)
    clock.advance()
    reply = store.add_message(cid, Role.ASSISTANT, f"answer to {prompt}")
    return user.id, reply.id


def contents(store: ConversationStore, cid: str) -> list[str]:
    return [m.content for m in store.messages(cid)]


def test_edit_keeps_the_old_tail_as_a_version_and_switching_brings_it_back(
    store: ConversationStore, clock: FakeClock
) -> None:
    versions = ConversationVersions(store)
    cid = store.create_conversation(session_id="s1").id
    turn(store, clock, cid, "one")
    two, _ = turn(store, clock, cid, "two")
    turn(store, clock, cid, "three")

    kept = versions.put_away(cid, at_seq=3, session_id="s1")
    store.update_conversation(cid, session_id="s2")
    assert contents(store, cid) == ["one", "answer to one"]
    assert versions.places(cid) == {}  # the new version has no message yet
    new_two, _ = turn(store, clock, cid, "two, edited")

    place = versions.places(cid)[new_two]
    assert (place.position, place.count) == (2, 2) and place.ids == (kept, LIVE)
    assert [c.id for c in store.list_conversations()] == [cid]  # versions are never listed
    assert store.count_conversations() == 1

    assert not versions.switch(cid, new_two, +1)  # nothing after the newest
    assert versions.switch(cid, new_two, -1)
    assert contents(store, cid)[2:] == ["two", "answer to two", "three", "answer to three"]
    assert store.get_conversation(cid).session_id == "s1"  # type: ignore[union-attr]
    back = versions.places(cid)[two]
    assert (back.position, back.count) == (1, 2)
    assert versions.switch(cid, two, +1)
    assert store.get_conversation(cid).session_id == "s2"  # type: ignore[union-attr]
    assert contents(store, cid)[2:] == ["two, edited", "answer to two, edited"]
    fts_check(store.db)


def test_versions_of_later_prompts_travel_with_their_tail(store: ConversationStore, clock: FakeClock) -> None:
    versions = ConversationVersions(store)
    cid = store.create_conversation(session_id="a").id
    one, _ = turn(store, clock, cid, "one")
    turn(store, clock, cid, "two")
    versions.put_away(cid, 3, "a")
    two_b, _ = turn(store, clock, cid, "two b")
    assert set(versions.places(cid)) == {two_b}
    versions.put_away(cid, 1, "b")  # edit the first prompt: "two"'s versions go with its tail
    one_c, _ = turn(store, clock, cid, "one c")
    assert set(versions.places(cid)) == {one_c}
    versions.switch(cid, one_c, -1)
    assert contents(store, cid) == ["one", "answer to one", "two b", "answer to two b"]
    assert set(versions.places(cid)) == {one, two_b}


def test_tool_calls_and_attachments_move_with_their_messages(
    store: ConversationStore, clock: FakeClock
) -> None:
    versions = ConversationVersions(store)
    cid = store.create_conversation().id
    image = Attachment("shot.png", AttachmentKind.IMAGE, "image/png", b"\x89PNG-bytes")
    user = store.add_message(cid, Role.USER, "look", attachments=[image])
    reply = store.add_message(cid, Role.ASSISTANT, "seen")
    store.save_tool_call(cid, ToolCall(id="c1", name="view", status=ToolStatus.DONE), reply.id, 0)
    versions.put_away(cid, 1, None)
    assert store.messages(cid) == [] and store.tool_calls(cid) == []
    clock.advance()
    new = store.add_message(cid, Role.USER, "look again")
    new_reply = store.add_message(cid, Role.ASSISTANT, "seen again")
    store.save_tool_call(cid, ToolCall(id="c1", name="view", status=ToolStatus.DONE), new_reply.id, 0)
    versions.switch(cid, new.id, -1)
    restored = store.messages(cid)
    assert [m.id for m in restored] == [user.id, reply.id]
    assert restored[0].attachments == (image,)
    assert [(s.call.id, s.message_id) for s in store.tool_calls(cid)] == [("c1", reply.id)]


def test_deleting_a_conversation_deletes_its_versions(store: ConversationStore, clock: FakeClock) -> None:
    versions = ConversationVersions(store)
    cid = store.create_conversation().id
    turn(store, clock, cid, "one")
    versions.put_away(cid, 1, None)
    turn(store, clock, cid, "one again")
    store.delete_forever(cid)
    assert store.db.execute("SELECT count(*) FROM conversations").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_kept_versions_are_not_searched(store: ConversationStore, clock: FakeClock) -> None:
    versions = ConversationVersions(store)
    cid = store.create_conversation().id
    turn(store, clock, cid, "zebra")
    versions.put_away(cid, 1, None)
    turn(store, clock, cid, "giraffe")
    assert store.search("zebra") == []
    assert [h.message_id for h in store.search("giraffe")]


def test_a_branch_copies_the_messages_up_to_the_chosen_one(
    store: ConversationStore, clock: FakeClock
) -> None:
    versions = ConversationVersions(store)
    cid = store.create_conversation(session_id="s").id
    image = Attachment("a.txt", AttachmentKind.TEXT, "text/plain", b"hello")
    store.add_message(cid, Role.USER, "one", attachments=[image])
    reply = store.add_message(cid, Role.ASSISTANT, "answer")
    store.save_tool_call(cid, ToolCall(id="t", name="calc"), reply.id, 3)
    turn(store, clock, cid, "two")
    branch = versions.branch(cid, 2, "forked")
    assert branch.origin_id == cid and branch.session_id == "forked"
    copied = store.messages(branch.id)
    assert [m.content for m in copied] == ["one", "answer"]
    assert copied[0].attachments == (image,) and copied[0].id != store.messages(cid)[0].id
    assert [(s.call.id, s.message_id, s.offset) for s in store.tool_calls(branch.id)] == [
        ("t", copied[1].id, 3)
    ]
    assert {c.id for c in store.list_conversations()} == {cid, branch.id}
    store.delete_forever(cid)
    assert [m.content for m in store.messages(branch.id)] == ["one", "answer"]  # a branch stands alone


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["turn", "edit", "switch"]), st.integers(0, 20), st.sampled_from([-1, 1])),
    max_size=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPERATIONS)
def test_no_message_is_ever_lost_and_a_switch_undoes(
    tmp_path: Path, operations: list[tuple[str, int, int]]
) -> None:
    """Whatever edits and switches happen: every message written is somewhere, the live path is
    numbered 1..n, and switching to a version and back gives the same path."""
    clock = FakeClock()
    data = tmp_path / uuid.uuid4().hex
    store = ConversationStore(open_database(data, clock=clock).connection, clock=clock)
    versions = ConversationVersions(store)
    cid = store.create_conversation().id
    written: set[str] = set()
    counter = switched = 0
    for name, n, step in operations:
        live = store.messages(cid)
        if name == "turn" or not live:
            counter += 1
            written.update(turn(store, clock, cid, f"p{counter}"))
        elif name == "edit":
            prompts = [m for m in live if m.role is Role.USER]
            versions.put_away(cid, prompts[n % len(prompts)].seq, None)
            counter += 1
            written.update(turn(store, clock, cid, f"p{counter}"))
        else:
            places = versions.places(cid)
            if not places:
                continue
            message_id = sorted(places)[n % len(places)]
            before = [m.id for m in live]
            if versions.switch(cid, message_id, step):
                switched += 1
                seq = places[message_id].seq
                back = next(mid for mid, p in versions.places(cid).items() if p.seq == seq)
                assert versions.switch(cid, back, -step)
                assert [m.id for m in store.messages(cid)] == before
        seqs = [m.seq for m in store.messages(cid)]
        assert seqs == list(range(1, len(seqs) + 1))
        everywhere = {str(r[0]) for r in store.db.execute("SELECT id FROM messages")}
        assert everywhere == written
    store.close()
    if switched:
        SWITCHED.append(switched)


SWITCHED: list[int] = []


def test_the_property_test_switched_versions() -> None:
    """The run above did switch (a guard against a property that never exercises its point)."""
    assert sum(SWITCHED) > 10
