"""The collector is off for the start-up only: back on at the first window, at the fallback, or
when the start-up fails; a collector turned off by someone else is left off."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator

import pytest

from desktop_app.core.platform import start_up_gc


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    start_up_gc.resume()
    gc.enable()
    yield
    start_up_gc.resume()
    gc.enable()


def test_resume_turns_the_collector_back_on() -> None:
    assert start_up_gc.pause()
    assert not gc.isenabled() and start_up_gc.paused()
    assert not start_up_gc.pause()  # already paused: one fallback timer, not two
    start_up_gc.resume()
    assert gc.isenabled() and not start_up_gc.paused()
    start_up_gc.resume()  # again: nothing
    assert gc.isenabled()


def test_the_fallback_turns_it_on_when_no_window_shows() -> None:
    assert start_up_gc.pause(fallback_seconds=0.05)
    deadline = time.monotonic() + 5
    while not gc.isenabled() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gc.isenabled() and not start_up_gc.paused()


def test_a_collector_turned_off_elsewhere_stays_off() -> None:
    gc.disable()
    assert not start_up_gc.pause()
    start_up_gc.resume()
    assert not gc.isenabled()


def test_a_start_up_that_fails_before_its_window_turns_it_back_on(monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop_app.app
    from desktop_app.main import main
    from desktop_app.ui.platform import feature_hook

    seen: list[bool] = []

    def failing_run(*_args: object) -> int:
        seen.append(gc.isenabled())
        raise RuntimeError("no display")

    monkeypatch.setattr(desktop_app.app, "run", failing_run)
    monkeypatch.setattr(feature_hook, "drop_feature_import_hook", lambda: False)  # this process's own
    with pytest.raises(RuntimeError):
        main(["--demo", "--data-dir", "/nonexistent"])
    assert seen == [False]  # off while starting
    assert gc.isenabled() and not start_up_gc.paused()


def test_start_ups_objects_are_frozen_once_out_of_the_collectors_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(start_up_gc, "_frozen", False)
    kept = [[n] for n in range(10)]  # containers alive now (the collector walks those): frozen
    try:
        start_up_gc.freeze_start_up()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        walked = {id(o) for o in gc.get_objects()}
        assert not any(id(k) in walked for k in kept)  # the collector walks them no more
        start_up_gc.freeze_start_up()  # once: a second call changes nothing
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
