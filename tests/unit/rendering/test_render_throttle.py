"""AdaptiveThrottle: the gap after a render is at least the interval and at least its cost."""

from __future__ import annotations

import pytest

from desktop_app.core.rendering.streaming.render_throttle import AdaptiveThrottle


def test_first_render_is_immediate() -> None:
    assert AdaptiveThrottle().delay(now=123.0) == 0.0


def test_gap_is_at_least_the_interval() -> None:
    throttle = AdaptiveThrottle(interval=0.033)
    throttle.rendered(start=10.000, end=10.002)  # a cheap 2 ms render
    assert throttle.delay(now=10.002) == pytest.approx(0.033)
    assert throttle.delay(now=10.020) == pytest.approx(0.015)
    assert throttle.delay(now=10.035) == 0.0
    assert throttle.delay(now=11.0) == 0.0  # never negative


def test_slow_render_stretches_the_gap() -> None:
    throttle = AdaptiveThrottle(interval=0.033)
    throttle.rendered(start=0.0, end=0.1)  # a 100 ms render, three times the interval
    assert throttle.delay(now=0.1) >= 0.1
    assert throttle.delay(now=0.1) == pytest.approx(0.1)
    assert throttle.delay(now=0.15) == pytest.approx(0.05)


def test_a_fast_render_after_a_slow_one_shrinks_the_gap_again() -> None:
    throttle = AdaptiveThrottle(interval=0.05)
    throttle.rendered(start=0.0, end=0.2)
    assert throttle.delay(now=0.2) == pytest.approx(0.2)
    throttle.rendered(start=0.4, end=0.401)
    assert throttle.delay(now=0.401) == pytest.approx(0.05)


def test_clock_going_backwards_does_not_give_a_negative_cost() -> None:
    throttle = AdaptiveThrottle(interval=0.01)
    throttle.rendered(start=2.0, end=1.5)
    assert throttle.delay(now=1.5) == pytest.approx(0.01)


def test_reset_makes_the_next_render_immediate() -> None:
    throttle = AdaptiveThrottle()
    throttle.rendered(start=0.0, end=1.0)
    assert throttle.delay(now=1.0) > 0
    throttle.reset()
    assert throttle.delay(now=1.0) == 0.0
