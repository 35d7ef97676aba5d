"""Which conversations an export holds, and the format table the command line and the window share."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange.exporters import (
    EXPORTERS,
    UnknownConversationError,
    load_conversations,
)
from desktop_app.core.storage.exchange.html_format import export_html
from desktop_app.core.storage.exchange.json_format import export_json
from desktop_app.core.storage.exchange.markdown_format import export_markdown
from tests.unit.storage.exchange.samples import dump, populate


def test_unknown_conversation_id_is_refused(make_store: Callable[[str], ConversationStore]) -> None:
    with pytest.raises(UnknownConversationError, match="nope"):
        load_conversations(make_store("a"), ["nope"])


def test_load_picks_the_conversations_asked_for_once_each_in_export_order(
    make_store: Callable[[str], ConversationStore],
) -> None:
    store = make_store("a")
    ids = populate(store)
    items = load_conversations(store, [ids["cut"], ids["pinned"], ids["cut"]])
    assert [i.conversation.id for i in items] == [ids["pinned"], ids["cut"]]  # created first, first
    assert [m.seq for m in items[0].messages] == [1, 2, 3]
    assert [s.call.id for s in items[1].tool_calls] == ["ask"]
    everything = load_conversations(store)
    assert {i.conversation.id for i in everything} == set(ids.values())  # the trash too
    assert load_conversations(store, []) == []


def test_every_format_by_its_suffix(make_store: Callable[[str], ConversationStore]) -> None:
    assert {"md": export_markdown, "html": export_html, "json": export_json} == EXPORTERS
    store = make_store("a")
    populate(store)
    items = load_conversations(store)
    assert EXPORTERS["json"](items) == dump(store)
    assert EXPORTERS["md"](items).startswith("# Pinned 📌\n")
    assert EXPORTERS["html"](items).startswith("<!DOCTYPE html>")
