"""``list_conversations(title_contains=...)``: the sidebar's filter, done in SQL, matches what it says."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.stored_values import storable

ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def contains(title: str, text: str) -> bool:
    """The reference: SQLite's LIKE folds ASCII letters only."""
    return text.translate(ASCII_LOWER) in title.translate(ASCII_LOWER)


def test_filter_by_title(store: ConversationStore) -> None:
    for title in ("Rust lifetimes", "Trip to Rome", "100% done", "snake_case names", "Ünïcode"):
        store.create_conversation(title)
    titles = lambda text: sorted(c.title for c in store.list_conversations(title_contains=text))  # noqa: E731
    assert titles("ro") == ["Trip to Rome"]
    assert titles("RUST") == ["Rust lifetimes"]
    assert titles("%") == ["100% done"]  # wildcards are literal
    assert titles("_") == ["snake_case names"]
    assert titles("Ünï") == ["Ünïcode"]  # beyond ASCII, case counts (SQLite's LIKE)
    assert titles("") == sorted(c.title for c in store.list_conversations())
    assert len(store.list_conversations(title_contains="e", limit=2, offset=1)) == 2


def test_filter_matches_the_reference() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = ConversationStore(open_database(Path(folder)).connection)
        try:
            check_against_reference(store)
        finally:
            store.close()


def check_against_reference(store: ConversationStore) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.text(alphabet=st.characters(blacklist_characters="\x00", codec=None), max_size=12)
            | st.sampled_from(["\ud800", "a\udfffb", "\ud83d\ude00"]),
            max_size=6,
        ),
        st.text(alphabet=st.sampled_from("aAbB%_\\ü[]*?'\""), max_size=3),
    )
    def check(titles: list[str], text: str) -> None:
        with store.transaction() as db:
            db.execute("DELETE FROM conversations")
        for title in titles:
            store.create_conversation(title)
        found = sorted(c.title for c in store.list_conversations(title_contains=text))
        kept = [storable(t) for t in titles]  # a lone surrogate is kept as U+FFFD
        assert found == sorted(t for t in kept if contains(t, text))

    check()
