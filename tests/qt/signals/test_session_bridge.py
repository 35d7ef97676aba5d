"""One event stream, many subscribers: a failing subscriber harms no other."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.metrics import StreamMetrics
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.events import ChatEvent, Idle, TextDelta, Usage
from desktop_app.ui.signals.session_bridge import SessionBridge


@pytest.mark.expected_warnings
def test_a_raising_subscriber_does_not_stop_the_others(qtbot: QtBot) -> None:
    hub: EventHub[ChatEvent] = EventHub()

    def broken(event: ChatEvent) -> None:
        raise RuntimeError("subscriber bug")

    hub.subscribe(broken)
    metrics = StreamMetrics()
    hub.subscribe(metrics)
    bridge = SessionBridge()
    bridge.attach(hub)
    texts: list[str] = []
    bridge.text_delta.connect(texts.append)

    hub.publish(TextDelta("m1", "hello"))
    hub.publish(Usage("model-x", 3, 1, 10.0, 5.0))

    assert texts == ["hello"]
    snapshot = metrics.snapshot()
    assert snapshot.output_tokens == 1 and snapshot.tokens_from_usage
    assert snapshot.model == "model-x"


def test_bridge_emits_typed_signals(qtbot: QtBot) -> None:
    hub: EventHub[ChatEvent] = EventHub()
    bridge = SessionBridge()
    bridge.attach(hub)
    with qtbot.waitSignal(bridge.idle, timeout=1000) as blocker:
        hub.publish(Idle(aborted=True))
    assert blocker.args == [True]
    bridge.detach()
    assert len(hub) == 0


def test_a_raising_qt_slot_does_not_stop_other_slots(qtbot: QtBot) -> None:
    hub: EventHub[ChatEvent] = EventHub()
    bridge = SessionBridge()
    bridge.attach(hub)
    received: list[str] = []

    def bad_slot(text: str) -> None:
        raise ValueError("slot bug")

    bridge.text_delta.connect(bad_slot)
    bridge.text_delta.connect(received.append)
    with qtbot.capture_exceptions() as exceptions:
        hub.publish(TextDelta("m", "x"))
    assert received == ["x"]
    assert len(exceptions) == 1 and isinstance(exceptions[0][1], ValueError)
