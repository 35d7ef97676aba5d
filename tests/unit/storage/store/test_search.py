"""Full-text search: what a query matches, the snippets, and user input that must never break it."""

from __future__ import annotations

import unicodedata

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore, fts_query
from desktop_app.core.storage.models import HIGHLIGHT_END, HIGHLIGHT_START, Role
from tests.unit.storage.store_helpers import hit_ids


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("hello", '"hello"*'),
        ("hello wor", '"hello" AND "wor"*'),
        ('say "NEAR(a b)" -x', '"say" AND "NEAR" AND "a" AND "b" AND "x"*'),
        ("col:value", '"col" AND "value"*'),
        ("", None),
        ('"*-:()^', None),
    ],
)
def test_fts_query(text: str, query: str | None) -> None:
    assert fts_query(text) == query


@pytest.fixture
def corpus(store: ConversationStore) -> dict[str, str]:
    """A few messages to search; returns name -> message id."""
    c1 = store.create_conversation("Databases")
    c2 = store.create_conversation("Cooking")
    ids = {
        "wal": store.add_message(c1.id, Role.USER, "How does write-ahead logging work in SQLite?").id,
        "wal_answer": store.add_message(
            c1.id,
            Role.ASSISTANT,
            "SQLite **logging** uses a WAL file:\n```sql\nPRAGMA journal_mode=WAL;\n```",
        ).id,
        "cafe": store.add_message(c2.id, Role.USER, "Best café crème recipe from a résumé of Paris").id,
        "plain": store.add_message(c2.id, Role.ASSISTANT, "A plain cafe answer with naive wording").id,
    }
    return ids


def test_search_prefix_matches_last_word_only(store: ConversationStore, corpus: dict[str, str]) -> None:
    assert hit_ids(store, "log") == {corpus["wal"], corpus["wal_answer"]}
    assert hit_ids(store, "logging") == {corpus["wal"], corpus["wal_answer"]}
    assert hit_ids(store, "sqlite writ") == {corpus["wal"]}
    assert hit_ids(store, "sql") == {corpus["wal"], corpus["wal_answer"]}
    assert store.search("writ sqlite") == []  # earlier words must match whole
    assert store.search("logginga") == []


def test_search_requires_every_word(store: ConversationStore, corpus: dict[str, str]) -> None:
    assert hit_ids(store, "sqlite logging") == {corpus["wal"], corpus["wal_answer"]}
    assert hit_ids(store, "journal_mode wal") == {corpus["wal_answer"]}
    assert hit_ids(store, "logging recipe") == set()
    assert hit_ids(store, "SQLITE Logging") == {corpus["wal"], corpus["wal_answer"]}  # case-insensitive


def test_search_hit_fields(store: ConversationStore, corpus: dict[str, str]) -> None:
    hits = store.search("recipe")
    assert len(hits) == 1
    hit = hits[0]
    assert hit.message_id == corpus["cafe"]
    assert hit.role is Role.USER
    conversation = store.get_conversation(hit.conversation_id)
    assert conversation is not None
    assert hit.conversation_title == conversation.title == "Cooking"
    assert hit.updated_at == conversation.updated_at


def test_search_snippet_highlights_the_match(store: ConversationStore, corpus: dict[str, str]) -> None:
    (hit,) = store.search("recipe")
    assert f"{HIGHLIGHT_START}recipe{HIGHLIGHT_END}" in hit.snippet
    (hit,) = store.search("Pari")  # prefix: the whole token is highlighted
    assert f"{HIGHLIGHT_START}Paris{HIGHLIGHT_END}" in hit.snippet
    for hit in store.search("sqlite logging"):
        assert f"{HIGHLIGHT_START}SQLite{HIGHLIGHT_END}" in hit.snippet
        assert f"{HIGHLIGHT_START}logging{HIGHLIGHT_END}" in hit.snippet


def test_snippet_of_long_message_is_short(store: ConversationStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, Role.ASSISTANT, "filler " * 2000 + "needle " + "filler " * 2000)
    (hit,) = store.search("needle")
    assert f"{HIGHLIGHT_START}needle{HIGHLIGHT_END}" in hit.snippet
    assert "…" in hit.snippet
    assert len(hit.snippet) < 200


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        '"unbalanced quote',
        "*",
        "**",
        "sql*",
        "NEAR(",
        "NEAR(sqlite logging)",
        "sqlite NEAR logging",
        "-",
        "-sqlite",
        "sqlite -logging",
        ":",
        "content:sqlite",
        "messages_fts:sqlite",
        "AND",
        "OR",
        "NOT",
        "sqlite OR",
        "sqlite AND NOT logging",
        "(",
        ")",
        "(sqlite",
        "^sqlite",
        "+",
        "{content}: sqlite",
        "'",
        "\\",
        "%",
        "_",
        "a_",
        "\x00",
        "\x02\x03",
        "😀",
        "   ",
        "",
        "x" * 2000,
        "w " * 300,
        "'; DROP TABLE messages; --",
    ],
)
def test_search_never_raises_on_user_input(
    store: ConversationStore, corpus: dict[str, str], text: str
) -> None:
    hits = store.search(text)
    assert isinstance(hits, list)
    assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 4


def test_search_syntax_characters_are_plain_separators(
    store: ConversationStore, corpus: dict[str, str]
) -> None:
    both = {corpus["wal"], corpus["wal_answer"]}
    assert hit_ids(store, '"sqlite"') == both
    assert hit_ids(store, "sqlite*") == both
    assert hit_ids(store, "NEAR(sqlite logging)") == set()  # "near" is a word that must be present
    assert hit_ids(store, "write-ahead") == {corpus["wal"]}
    assert hit_ids(store, "sqlite -logging") == both  # not a NOT operator
    assert hit_ids(store, "content:sqlite") == set()  # not a column filter: 'content' must appear
    assert store.search('"*-:()^') == []


def test_search_ignores_diacritics(store: ConversationStore, corpus: dict[str, str]) -> None:
    both = {corpus["cafe"], corpus["plain"]}
    assert hit_ids(store, "cafe") == both
    assert hit_ids(store, "café") == both
    assert hit_ids(store, "CAFÉ") == both
    assert hit_ids(store, "resume") == {corpus["cafe"]}
    assert hit_ids(store, "naïve") == {corpus["plain"]}
    assert hit_ids(store, "creme") == {corpus["cafe"]}


def test_search_finds_decomposed_content(store: ConversationStore) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.USER, unicodedata.normalize("NFD", "un résumé naïf"))
    assert hit_ids(store, "resume") == {m.id}
    assert hit_ids(store, "résumé naïf") == {m.id}


def test_search_with_decomposed_query(store: ConversationStore) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.USER, "un résumé naïf")
    assert hit_ids(store, unicodedata.normalize("NFD", "résumé")) == {m.id}


def test_search_excludes_trashed_conversations(store: ConversationStore) -> None:
    keep = store.create_conversation()
    bin_ = store.create_conversation()
    store.add_message(keep.id, Role.USER, "shared quokka")
    store.add_message(bin_.id, Role.USER, "shared quokka in the bin")
    store.trash(bin_.id)
    assert {h.conversation_id for h in store.search("quokka")} == {keep.id}
    assert store.search("bin") == []
    store.restore(bin_.id)
    assert {h.conversation_id for h in store.search("quokka")} == {keep.id, bin_.id}


def test_search_limit(store: ConversationStore) -> None:
    c = store.create_conversation()
    for i in range(30):
        store.add_message(c.id, Role.USER, f"repeated pelican number {i}")
    assert len(store.search("pelican")) == 30
    assert len(store.search("pelican", limit=7)) == 7
    assert len(store.search("pelican", limit=1)) == 1
    assert len(store.search("pelican", limit=100)) == 30


def test_search_empty_database(store: ConversationStore) -> None:
    assert store.search("anything") == []
