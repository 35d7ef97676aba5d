"""A viewer's queue coalesces reply updates, so a slow viewer gets fewer, newer ones."""

from __future__ import annotations

from desktop_app.core.share.viewers import Kind, ViewerQueue


def drain(queue: ViewerQueue) -> list[str]:
    items = []
    while (item := queue.pop()) is not None:
        items.append(item)
    return items


def test_a_newer_reply_update_replaces_a_queued_one() -> None:
    queue = ViewerQueue()
    queue.put(Kind.MESSAGE, "user")
    for number in range(50):
        assert queue.put(Kind.PARTIAL, f"partial {number}")
    assert drain(queue) == ["user", "partial 49"]


def test_the_completed_reply_supersedes_a_queued_partial_one_but_nothing_replaces_it() -> None:
    queue = ViewerQueue()
    queue.put(Kind.PARTIAL, "partial")
    queue.put(Kind.FINAL, "final")
    queue.put(Kind.PARTIAL, "next reply")
    assert drain(queue) == ["final", "next reply"]


def test_messages_are_never_coalesced() -> None:
    queue = ViewerQueue()
    queue.put(Kind.PARTIAL, "partial")
    queue.put(Kind.MESSAGE, "notice")
    queue.put(Kind.MESSAGE, "title")
    assert drain(queue) == ["partial", "notice", "title"]


def test_a_snapshot_makes_everything_queued_before_it_moot() -> None:
    queue = ViewerQueue()
    queue.put(Kind.MESSAGE, "old")
    queue.put(Kind.PARTIAL, "old reply")
    queue.put(Kind.SNAPSHOT, "snapshot")
    queue.put(Kind.MESSAGE, "new")
    assert drain(queue) == ["snapshot", "new"]


def test_put_reports_a_viewer_past_the_limit() -> None:
    queue = ViewerQueue(limit=3)
    assert all(queue.put(Kind.MESSAGE, str(n)) for n in range(3))
    assert queue.put(Kind.PARTIAL, "coalesces later, but the queue is over the limit now") is False
    assert len(queue) == 4
    queue.clear()
    assert len(queue) == 0 and queue.pop() is None
