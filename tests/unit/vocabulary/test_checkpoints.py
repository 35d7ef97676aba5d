"""How Restore checkpoint says what it will change and what it did."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.vocabulary.checkpoints import (
    MAX_LISTED,
    FileChange,
    RewindOutcome,
    RewindPreview,
    confirmation,
    outcome_text,
)


def test_each_file_is_named_with_what_happens_to_it() -> None:
    preview = RewindPreview(
        True,
        [
            FileChange("/work/a.txt", "modified", 1, 1),
            FileChange("/work/new.txt", "created", 3, 0),
            FileChange("/work/gone.txt", "deleted", 0, 2),
        ],
    )
    text = confirmation(preview, "/work")
    assert "a.txt: put back (undoes +1 −1)" in text
    assert "new.txt: deleted (created since)" in text
    assert "gone.txt: restored (deleted since)" in text
    assert "changed yourself" in text


def test_without_file_tracking_only_the_conversation_goes_back() -> None:
    text = confirmation(RewindPreview(False, reason="file-change-tracking-disabled"), "/work")
    assert "only the conversation is" in text and "file-change-tracking-disabled" in text


def test_files_the_user_changed_are_named_after_restoring() -> None:
    done = RewindOutcome(["/w/b.txt"], [("/w/a.txt", "user-modified")])
    assert (
        outcome_text(done, "/w")
        == "Restored the checkpoint: 1 file put back. Left as you changed them: a.txt."
    )
    assert outcome_text(RewindOutcome(error="session busy")).endswith("session busy")


@given(st.lists(st.text(st.characters(blacklist_categories=("Cc",)), min_size=1, max_size=30), max_size=40))
def test_a_long_list_is_cut_and_counted(paths: list[str]) -> None:
    text = confirmation(RewindPreview(True, [FileChange(p, "modified") for p in paths]), "")
    listed = text.count("\n• ")
    assert listed == min(len(paths), MAX_LISTED)
    if len(paths) > MAX_LISTED:
        assert f"…and {len(paths) - MAX_LISTED} more." in text
