"""EventHub: fan-out in order; one failing subscriber harms no other."""

from __future__ import annotations

import logging

import pytest

from desktop_app.core.vocabulary import event_hub
from desktop_app.core.vocabulary.event_hub import EventHub


def test_fan_out_in_subscription_order() -> None:
    hub: EventHub[int] = EventHub()
    calls: list[tuple[str, int]] = []
    hub.subscribe(lambda e: calls.append(("a", e)))
    hub.subscribe(lambda e: calls.append(("b", e)))
    hub.subscribe(lambda e: calls.append(("c", e)))
    hub.publish(1)
    hub.publish(2)
    assert calls == [("a", 1), ("b", 1), ("c", 1), ("a", 2), ("b", 2), ("c", 2)]
    assert len(hub) == 3


def test_publish_with_no_subscribers_is_fine() -> None:
    hub: EventHub[str] = EventHub()
    hub.publish("nobody listens")
    assert len(hub) == 0


def test_unsubscribe() -> None:
    hub: EventHub[int] = EventHub()
    seen_a: list[int] = []
    seen_b: list[int] = []
    unsubscribe_a = hub.subscribe(seen_a.append)
    hub.subscribe(seen_b.append)
    hub.publish(1)
    unsubscribe_a()
    hub.publish(2)
    assert seen_a == [1]
    assert seen_b == [1, 2]
    assert len(hub) == 1
    unsubscribe_a()  # a second call is harmless
    assert len(hub) == 1


def test_unsubscribing_during_publish_still_delivers_the_current_event() -> None:
    hub: EventHub[int] = EventHub()
    seen: list[str] = []
    unsubscribers = []

    def first(event: int) -> None:
        seen.append(f"first {event}")
        unsubscribers[1]()  # remove the second subscriber while publishing

    unsubscribers.append(hub.subscribe(first))
    unsubscribers.append(hub.subscribe(lambda e: seen.append(f"second {e}")))
    hub.publish(1)
    hub.publish(2)
    assert seen == ["first 1", "second 1", "first 2"]


def test_subscribing_during_publish_takes_effect_next_time() -> None:
    hub: EventHub[int] = EventHub()
    seen: list[str] = []

    def adder(event: int) -> None:
        seen.append(f"adder {event}")
        if event == 1:
            hub.subscribe(lambda e: seen.append(f"late {e}"))

    hub.subscribe(adder)
    hub.publish(1)
    hub.publish(2)
    assert seen == ["adder 1", "adder 2", "late 2"]


@pytest.mark.expected_warnings
def test_failing_subscriber_is_logged_and_others_still_receive(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub: EventHub[int] = EventHub("chat events")
    seen_before: list[int] = []
    seen_after: list[int] = []

    def broken(event: int) -> None:
        raise ValueError(f"cannot handle {event}")

    hub.subscribe(seen_before.append)
    hub.subscribe(broken)
    hub.subscribe(seen_after.append)
    with caplog.at_level(logging.ERROR, logger=event_hub.__name__):
        hub.publish(5)
        hub.publish(6)
    assert seen_before == [5, 6]
    assert seen_after == [5, 6]
    records = [r for r in caplog.records if r.name == event_hub.__name__]
    assert len(records) == 2
    record = records[0]
    assert record.levelno == logging.ERROR
    assert "chat events" in record.getMessage()
    assert "broken" in record.getMessage()
    assert "int" in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], ValueError)
    assert len(hub) == 3  # a failing subscriber is not removed


def test_base_exceptions_are_not_swallowed() -> None:
    hub: EventHub[int] = EventHub()

    def interrupt(event: int) -> None:
        raise KeyboardInterrupt

    hub.subscribe(interrupt)
    with pytest.raises(KeyboardInterrupt):
        hub.publish(1)
