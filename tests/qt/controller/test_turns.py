"""A running reply's watchdog: silence past the limit is said once; a tool at work is alive. (The
turn runner itself is driven through the controller: tests/qt/controller/test_chat_controller.py.)"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.events import TextDelta
from desktop_app.ui.controller.turns import ReplyWatch


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_reply_silent_for_the_limit_is_said_once(qtbot: QtBot) -> None:
    clock = Clock()
    watch = ReplyWatch(lambda: 5, lambda: False, clock=clock)
    silent: list[int] = []
    watch.went_silent.connect(silent.append)
    clock.now += 60
    watch.check()
    assert silent == [] and not watch.watching  # no reply runs
    watch.start()
    clock.now += 4.9
    watch.check()
    watch.activity(TextDelta("m1", "a sign of life"))
    clock.now += 4.9
    watch.check()
    assert silent == []
    clock.now += 0.2
    watch.check()
    assert silent == [5]
    clock.now += 60
    watch.check()
    assert silent == [5]  # once per reply
    watch.start()  # the next reply is watched afresh
    clock.now += 5
    watch.check()
    assert silent == [5, 5]
    watch.stop()
    clock.now += 60
    watch.check()
    assert silent == [5, 5] and not watch.watching


def test_a_tool_that_runs_or_waits_for_the_user_keeps_the_reply_alive(qtbot: QtBot) -> None:
    clock = Clock()
    working = [True]
    watch = ReplyWatch(lambda: 5, lambda: working[0], clock=clock)
    silent: list[int] = []
    watch.went_silent.connect(silent.append)
    watch.start()
    clock.now += 600
    watch.check()
    assert silent == []
    working[0] = False  # the tool is done: silence counts from then
    clock.now += 4
    watch.check()
    assert silent == []
    clock.now += 1
    watch.check()
    assert silent == [5]


def test_the_limit_is_read_at_each_check(qtbot: QtBot) -> None:
    clock = Clock()
    limit = [120]
    watch = ReplyWatch(lambda: limit[0], lambda: False, clock=clock)
    silent: list[int] = []
    watch.went_silent.connect(silent.append)
    watch.start()
    clock.now += 10
    watch.check()
    limit[0] = 10  # the settings changed mid-reply
    watch.check()
    assert silent == [10]


def test_metrics_tick_while_a_reply_runs_and_stop_with_it(qtbot: QtBot) -> None:
    watch = ReplyWatch(lambda: 120, lambda: False)
    with qtbot.waitSignal(watch.tick, timeout=2000):
        watch.start()
    watch.stop()
    ticks: list[None] = []
    watch.tick.connect(lambda: ticks.append(None))
    qtbot.wait(450)
    assert ticks == [] and not watch.watching
