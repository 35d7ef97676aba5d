"""The relays: a core hub's publications as Qt signals, from any thread, until the widget goes."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.changes import Retitled
from desktop_app.core.conversation.reply import Change
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.ui.signals.change_relay import ChangeRelay, CountRelay, IdRelay


def test_a_relay_re_emits_what_the_hub_publishes_until_detached() -> None:
    hub: EventHub[Change] = EventHub()
    relay = ChangeRelay(hub)
    got: list[Change] = []
    relay.changed.connect(got.append)
    change = Retitled("A title")
    hub.publish(change)
    relay.detach()
    hub.publish(Retitled("Another"))
    assert got == [change] and len(hub) == 0


def test_a_relay_gone_with_its_widget_is_no_subscriber_any_more(qtbot: QtBot) -> None:
    hub: EventHub[str] = EventHub()
    owner = QObject()
    IdRelay(hub, owner)
    assert len(hub) == 1
    owner.deleteLater()
    qtbot.waitUntil(lambda: len(hub) == 0)
    hub.publish("c1")  # nobody to tell, and nothing fails


def test_a_hub_on_another_thread_reaches_the_ui_thread_queued(qtbot: QtBot) -> None:
    hub: EventHub[int] = EventHub()
    relay = CountRelay(hub)
    got: list[tuple[int, bool]] = []
    relay.changed.connect(lambda n: got.append((n, threading.current_thread() is threading.main_thread())))
    thread = threading.Thread(target=lambda: hub.publish(3))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: got == [(3, True)])


def test_a_direct_receiver_is_called_at_once_on_its_thread_and_queued_from_another(qtbot: QtBot) -> None:
    hub: EventHub[Change] = EventHub()
    got: list[tuple[Change, bool]] = []
    relay = ChangeRelay(
        hub, direct=lambda c: got.append((c, threading.current_thread() is threading.main_thread()))
    )
    emitted: list[Change] = []
    relay.changed.connect(emitted.append)
    here, there = Retitled("here"), Retitled("there")
    hub.publish(here)
    assert got == [(here, True)] and emitted == []  # no signal on its own thread
    thread = threading.Thread(target=lambda: hub.publish(there))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(got) == 2)
    assert got[1] == (there, True) and emitted == [there]  # queued to the relay's thread
    relay.detach()
    hub.publish(Retitled("gone"))
    assert len(got) == 2
