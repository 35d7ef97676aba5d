"""The transcript: what the UI reports, copied for the server thread; one wake-up per burst of changes."""

from __future__ import annotations

import asyncio
import threading

import pytest

from desktop_app.core.share.transcript import Copy, Position, Transcript, Update


def caught_up(update: Update, since: Position) -> Position:
    """Where a reader is after taking ``update`` (what the publisher tracks for itself)."""
    if update.replaced is not None:
        entries = update.replaced
        shown = len(entries)
    else:
        entries = update.new
        shown = since.shown + len(entries)
    last = entries[-1] if entries else update.reply
    if last is None:
        return Position(update.generation, shown, since.streaming, since.revision, since.parts)
    streaming = last.role == "assistant" and not last.done
    return Position(update.generation, shown, streaming, last.revision, last.parts)


def test_a_first_read_copies_the_whole_conversation() -> None:
    transcript = Transcript("Chat")
    transcript.set_conversation("Plans", [("user", "hi"), ("assistant", "**hello**"), ("notice", "n")])
    update = transcript.read(Position())
    assert update.title == "Plans" and update.generation == 1
    assert update.replaced == [
        Copy("user", "hi", True, 0, 1),
        Copy("assistant", "**hello**", True, 0, 1),
        Copy("notice", "n", True, 0, 1),
    ]
    assert update.reply is None and update.new == []


def test_nothing_changed_reads_nothing_new() -> None:
    transcript = Transcript("Chat")
    transcript.add_user("hi")
    first = transcript.read(Position())
    update = transcript.read(caught_up(first, Position()))
    assert update.replaced is None and update.reply is None and update.new == []
    assert update.title == "Chat"


def test_only_the_parts_not_read_yet_come_back_for_an_open_reply() -> None:
    transcript = Transcript()
    transcript.begin_reply()
    transcript.reply_delta("One, ")
    transcript.reply_delta("two, ")
    first = transcript.read(Position())
    assert first.replaced == [Copy("assistant", "One, two, ", False, 0, 2)]
    at = caught_up(first, Position())
    assert at.streaming and at.parts == 2
    transcript.reply_delta("three")
    transcript.end_reply()
    update = transcript.read(at)
    assert update.reply == Copy("assistant", "three", True, 0, 3)  # the news only, and the end
    assert update.new == []


def test_a_replaced_reply_comes_back_whole_with_a_new_revision() -> None:
    transcript = Transcript()
    transcript.reply_delta("draft")  # begins a reply by itself
    at = caught_up(transcript.read(Position()), Position())
    transcript.reply_delta(" more")
    transcript.replace_reply("rewritten")
    update = transcript.read(at)
    assert update.reply == Copy("assistant", "rewritten", False, 1, 1)


@pytest.mark.parametrize(
    ("final", "text", "revision"),
    [
        (None, "streamed", 0),
        ("streamed", "streamed", 0),  # the same text: nothing to re-render
        ("  \n", "streamed", 0),  # a blank final text keeps what streamed
        ("final", "final", 1),
    ],
)
def test_end_reply_replaces_what_streamed_only_with_a_different_text(
    final: str | None, text: str, revision: int
) -> None:
    transcript = Transcript()
    transcript.begin_reply()
    transcript.reply_delta("streamed")
    transcript.end_reply(final)
    (copy,) = transcript.read(Position()).replaced or []
    assert (copy.text, copy.done, copy.revision) == (text, True, revision)


def test_a_new_message_or_reply_ends_the_open_one() -> None:
    transcript = Transcript()
    transcript.begin_reply()
    transcript.reply_delta("first")
    transcript.add_notice("failed")
    transcript.begin_reply()
    transcript.reply_delta("second")
    transcript.begin_reply()
    copies = transcript.read(Position()).replaced or []
    assert [(c.role, c.text, c.done) for c in copies] == [
        ("assistant", "first", True),
        ("notice", "failed", True),
        ("assistant", "second", True),
        ("assistant", "", False),
    ]


def test_what_is_not_a_change_changes_nothing() -> None:
    transcript = Transcript()
    transcript.end_reply("no reply is open")
    transcript.reply_delta("")
    assert transcript.read(Position()).replaced == []


def test_unknown_roles_are_refused_and_nothing_is_replaced() -> None:
    transcript = Transcript()
    transcript.add_user("kept")
    with pytest.raises(ValueError, match="unknown role"):
        transcript.set_conversation("Chat", [("user", "fine"), ("system", "no")])
    assert transcript.read(Position()).replaced == [Copy("user", "kept", True, 0, 1)]


def test_a_new_conversation_makes_the_reader_start_over() -> None:
    transcript = Transcript()
    transcript.add_user("old")
    at = caught_up(transcript.read(Position()), Position())
    transcript.set_conversation("New", [("user", "new")])
    update = transcript.read(at)
    assert update.generation == at.generation + 1
    assert update.replaced == [Copy("user", "new", True, 0, 1)]


def test_copies_do_not_change_when_the_transcript_does() -> None:
    transcript = Transcript()
    transcript.reply_delta("a")
    (copy,) = transcript.read(Position()).replaced or []
    transcript.reply_delta("b")
    transcript.end_reply("c")
    assert copy == Copy("assistant", "a", False, 0, 1)


def test_the_reader_is_woken_once_per_burst_and_again_after_it_read() -> None:
    transcript = Transcript()
    transcript.add_user("before sharing")
    loop = asyncio.new_event_loop()
    reads: list[Update] = []
    at = Position()

    def reader() -> None:
        nonlocal at
        update = transcript.read(at)
        at = caught_up(update, at)
        reads.append(update)

    def run_pending() -> None:
        loop.run_until_complete(asyncio.sleep(0))

    try:
        transcript.connect(loop, reader)  # reads what came before at once
        transcript.add_user("one")
        transcript.add_user("two")
        run_pending()
        assert len(reads) == 1 and [c.text for c in reads[0].replaced or []] == [
            "before sharing",
            "one",
            "two",
        ]
        transcript.begin_reply()
        for word in ("many ", "small ", "deltas"):
            transcript.reply_delta(word)
        run_pending()
        assert len(reads) == 2 and [c.text for c in reads[1].new] == ["many small deltas"]
        transcript.disconnect()
        transcript.end_reply()
        run_pending()
        assert len(reads) == 2  # recorded, but nobody is woken
        transcript.connect(loop, reader)
        run_pending()
        assert len(reads) == 3 and reads[2].reply == Copy("assistant", "", True, 0, 3)
    finally:
        loop.close()
    transcript.add_user("the loop closed under us")  # no error: sharing is stopping
    assert [c.text for c in transcript.read(at).new] == ["the loop closed under us"]


def test_deltas_from_many_threads_are_all_kept() -> None:
    transcript = Transcript()
    transcript.begin_reply()

    def feed(name: str) -> None:
        for index in range(500):
            transcript.reply_delta(f"{name}{index} ")

    threads = [threading.Thread(target=feed, args=(name,)) for name in "abcd"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (copy,) = transcript.read(Position()).replaced or []
    assert copy.parts == 2000
    assert sorted(copy.text.split()) == sorted(f"{n}{i}" for n in "abcd" for i in range(500))
