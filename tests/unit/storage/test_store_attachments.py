"""Attachments in the store: kept with their prompt, bytes once per content, gone with the last user,
and through the JSON backup byte for byte (the bytes checked against their SHA-256 on import)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.html_format import export_html
from desktop_app.core.storage.exchange.json_import import import_json
from desktop_app.core.storage.exchange.markdown_format import export_markdown
from desktop_app.core.storage.models import Role
from tests.unit.storage.exchange.samples import FOLDER, NOTES, SCREENSHOT, SCRIPT, dump, populate


def blob_count(store: ConversationStore) -> int:
    return int(store.db.execute("SELECT count(*) FROM attachment_blobs").fetchone()[0])


def test_a_prompt_keeps_its_attachments_in_order(make_store: Callable[[str], ConversationStore]) -> None:
    store = make_store("s")
    conversation = store.create_conversation("")
    sent = store.add_message(conversation.id, Role.USER, "look", attachments=[NOTES, SCREENSHOT])
    assert sent.attachments == (NOTES, SCREENSHOT)
    store.add_message(conversation.id, Role.ASSISTANT, "seen")
    saved = store.messages(conversation.id)
    assert saved[0].attachments == (NOTES, SCREENSHOT) and saved[1].attachments == ()


def test_the_same_bytes_are_kept_once_and_go_with_their_last_prompt(
    make_store: Callable[[str], ConversationStore],
) -> None:
    store = make_store("s")
    one, two = store.create_conversation("one"), store.create_conversation("two")
    store.add_message(one.id, Role.USER, "a", attachments=[SCREENSHOT])
    store.add_message(two.id, Role.USER, "b", attachments=[SCREENSHOT, FOLDER])
    assert blob_count(store) == 2  # the screenshot once, the folder's empty content once
    store.delete_forever(one.id)
    assert blob_count(store) == 2 and store.messages(two.id)[0].attachments == (SCREENSHOT, FOLDER)
    store.delete_forever(two.id)
    assert blob_count(store) == 0


def test_the_json_round_trip_is_byte_identical_with_attachments(
    make_store: Callable[[str], ConversationStore],
) -> None:
    source = make_store("source")
    populate(source)
    first = dump(source)
    assert '"attachments": [' in first and SCREENSHOT.sha256 in first
    target = make_store("target")
    assert import_json(target, first).imported == 5
    assert dump(target) == first


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda a: a.update(data="not base64!"), "not base64"),
        (lambda a: a.update(size=a["size"] + 1), "is not the size of its data"),
        (lambda a: a.update(sha256="0" * 64), "does not match its data"),
        (lambda a: a.update(kind="program"), "is not one of image, text, folder"),
        (lambda a: a.pop("sha256"), "missing field 'sha256'"),
    ],
)
def test_a_bad_attachment_leaves_its_conversation_out(
    make_store: Callable[[str], ConversationStore], change: Callable[[dict[str, object]], object], reason: str
) -> None:
    source = make_store("source")
    populate(source)
    document = json.loads(dump(source))
    attached = next(c for c in document["conversations"] if c["messages"] and c["messages"][0]["attachments"])
    change(attached["messages"][0]["attachments"][0])
    result = import_json(make_store("target"), json.dumps(document))
    assert result.imported == 4 and reason in result.rejected[0].reason


def test_markdown_and_html_name_the_attachments_and_show_text_files(
    make_store: Callable[[str], ConversationStore],
) -> None:
    source = make_store("source")
    populate(source)
    items = load_conversations(source)
    markdown, page = export_markdown(items), export_html(items)
    for text in (markdown, page):
        assert "notes.md (text/markdown, 19 B)" in text and "# Notes" in text
        assert "\u202e" not in text  # the right-to-left override of the screenshot's name is dropped
    assert SCRIPT not in page and "<img" not in page
    assert r"\</script\>gnp.exe (image/png, 264 B)" in markdown  # escaped, the override dropped
