"""The publisher: the transcript rendered and broadcast, reply renders throttled (on a fake clock)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from desktop_app.core.share.publisher import Publisher
from desktop_app.core.share.transcript import Transcript
from desktop_app.core.share.viewers import Kind

INTERVAL = 0.05


@dataclass
class FakeTimer:
    when: float
    callback: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass
class FakeTimers:
    """A loop's clock and timers that move only when the test says so."""

    now: float = 0.0
    timers: list[FakeTimer] = field(default_factory=list)

    def time(self) -> float:
        return self.now

    def call_later(self, delay: float, callback: Callable[[], None], /) -> FakeTimer:
        timer = FakeTimer(self.now + delay, callback)
        self.timers.append(timer)
        return timer

    @property
    def pending(self) -> list[FakeTimer]:
        return [t for t in self.timers if not t.cancelled]

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for timer in list(self.pending):
            if timer.when <= self.now:
                self.timers.remove(timer)
                timer.callback()


@dataclass
class Setup:
    transcript: Transcript
    publisher: Publisher
    timers: FakeTimers
    sent: list[tuple[Kind, dict[str, Any]]]

    def sync(self) -> list[tuple[Kind, dict[str, Any]]]:
        """What one wake-up of the server thread sends."""
        before = len(self.sent)
        self.publisher.sync()
        return self.sent[before:]


@pytest.fixture
def setup() -> Setup:
    transcript = Transcript("Chat")
    timers = FakeTimers()
    sent: list[tuple[Kind, dict[str, Any]]] = []
    publisher = Publisher(
        transcript,
        lambda kind, payload: sent.append((kind, payload)),
        render_interval=INTERVAL,
        timers=lambda: timers,
    )
    return Setup(transcript, publisher, timers, sent)


def test_the_first_sync_sends_a_snapshot_of_what_was_reported(setup: Setup) -> None:
    setup.transcript.set_conversation("Plans", [("user", "<b>hi</b>"), ("assistant", "**yes**")])
    assert setup.sync() == [
        (
            Kind.SNAPSHOT,
            {
                "type": "snapshot",
                "title": "Plans",
                "messages": [
                    {"role": "user", "html": "&lt;b&gt;hi&lt;/b&gt;", "done": True},
                    {"role": "assistant", "html": "<p><strong>yes</strong></p>", "done": True},
                ],
                "streaming": False,
            },
        )
    ]


def test_messages_and_titles_are_sent_in_order(setup: Setup) -> None:
    setup.sync()
    setup.transcript.add_user("question")
    setup.transcript.set_title("Renamed")
    setup.transcript.add_notice("notice")
    assert setup.sync() == [
        (Kind.MESSAGE, {"type": "title", "title": "Renamed"}),
        (Kind.MESSAGE, {"type": "message", "role": "user", "html": "question"}),
        (Kind.MESSAGE, {"type": "message", "role": "notice", "html": "notice"}),
    ]


def test_a_reply_shows_at_once_then_renders_at_most_every_interval(setup: Setup) -> None:
    setup.sync()
    setup.transcript.begin_reply()
    assert setup.sync() == [(Kind.PARTIAL, {"type": "reply", "html": "", "done": False})]  # at once
    setup.timers.advance(0.01)
    setup.transcript.reply_delta("**one**")
    assert setup.sync() == []  # rendered 10 ms ago: this render waits
    (timer,) = setup.timers.pending
    assert timer.when == pytest.approx(INTERVAL)
    for word in (" two", " three"):
        setup.transcript.reply_delta(word)
        assert setup.sync() == []
    assert len(setup.timers.pending) == 1  # one render for every delta that came meanwhile
    setup.timers.advance(INTERVAL)
    assert setup.sent[-1] == (
        Kind.PARTIAL,
        {"type": "reply", "html": "<p><strong>one</strong> two three</p>", "done": False},
    )
    setup.timers.advance(1.0)
    setup.transcript.reply_delta(" four")
    assert setup.sync() == [
        (Kind.PARTIAL, {"type": "reply", "html": "<p><strong>one</strong> two three four</p>", "done": False})
    ]  # the interval has passed: no wait


def test_the_end_goes_out_at_once_and_cancels_a_waiting_render(setup: Setup) -> None:
    setup.sync()
    setup.transcript.begin_reply()
    setup.sync()
    setup.transcript.reply_delta("streamed")
    setup.sync()
    (timer,) = setup.timers.pending
    setup.transcript.end_reply("The *final* text")
    assert setup.sync() == [
        (Kind.FINAL, {"type": "reply", "html": "<p>The <em>final</em> text</p>", "done": True})
    ]
    assert timer.cancelled and setup.timers.pending == []


def test_a_replaced_reply_renders_only_the_new_text(setup: Setup) -> None:
    setup.sync()
    setup.transcript.begin_reply()
    setup.transcript.reply_delta("first draft")
    setup.sync()
    setup.transcript.replace_reply("second")
    setup.timers.advance(1.0)
    setup.transcript.reply_delta(" take")
    assert setup.sync() == [(Kind.PARTIAL, {"type": "reply", "html": "<p>second take</p>", "done": False})]


def test_a_joining_viewer_gets_a_render_waiting_on_the_throttle(setup: Setup) -> None:
    setup.sync()
    setup.transcript.begin_reply()
    setup.sync()
    setup.transcript.reply_delta("waiting")  # not synced yet: the snapshot syncs first
    snapshot = json.loads(setup.publisher.snapshot())
    assert snapshot["streaming"] is True
    assert snapshot["messages"][-1] == {"role": "assistant", "html": "<p>waiting</p>", "done": False}
    # The render was done for the newcomer, and the viewers already watching got it too.
    assert setup.sent[-1] == (Kind.PARTIAL, {"type": "reply", "html": "<p>waiting</p>", "done": False})


def test_one_snapshot_is_serialised_per_change(setup: Setup) -> None:
    setup.transcript.add_user("hi")
    first = setup.publisher.snapshot()
    assert setup.publisher.snapshot() is first
    builds = setup.publisher.snapshots.builds
    setup.transcript.add_user("again")
    assert json.loads(setup.publisher.snapshot())["messages"][-1]["html"] == "again"
    assert setup.publisher.snapshots.builds == builds + 1


def test_a_new_conversation_keeps_a_streaming_reply_open(setup: Setup) -> None:
    setup.transcript.set_conversation("Chat", [("user", "count")])
    setup.transcript.begin_reply()
    setup.transcript.reply_delta("One, two,")
    ((kind, snapshot),) = setup.sync()
    assert kind is Kind.SNAPSHOT and snapshot["streaming"] is True
    assert snapshot["messages"][-1] == {"role": "assistant", "html": "<p>One, two,</p>", "done": False}
    setup.transcript.reply_delta(" three.")
    setup.transcript.end_reply()
    assert setup.sync() == [(Kind.FINAL, {"type": "reply", "html": "<p>One, two, three.</p>", "done": True})]


def test_stop_leaves_no_render_waiting(setup: Setup) -> None:
    setup.sync()
    setup.transcript.begin_reply()
    setup.sync()
    setup.transcript.reply_delta("text")
    setup.sync()
    (timer,) = setup.timers.pending
    setup.publisher.stop()
    assert timer.cancelled
