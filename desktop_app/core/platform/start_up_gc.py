"""No cyclic garbage collection while the app starts, and never for long.

Start-up creates some hundred thousand objects (modules, classes, Qt's enums) and frees almost
none, so each collection the allocations trigger walks them all for nothing: ~2% of the time to
the first window. ``pause`` turns the collector off; ``resume`` turns it back on once the window
shows, and a timer does so after ``FALLBACK_SECONDS`` whatever happens, so a start-up that fails
or hangs before its window never leaves the app without the collector.
"""

from __future__ import annotations

import gc
import threading

FALLBACK_SECONDS = 10.0

_lock = threading.Lock()
_fallback: threading.Timer | None = None  # set while paused by us
_frozen = False  # start-up's objects were frozen (``freeze_start_up``)


def pause(fallback_seconds: float = FALLBACK_SECONDS) -> bool:
    """Turn the collector off until ``resume()`` or ``fallback_seconds``; True if it did. A
    collector someone else turned off is left to them."""
    global _fallback
    with _lock:
        if _fallback is not None or not gc.isenabled():
            return False
        gc.disable()
        _fallback = threading.Timer(fallback_seconds, resume)
        _fallback.daemon = True  # never holds up an exit
        _fallback.start()
        return True


def resume() -> None:
    """Turn the collector back on if ``pause()`` turned it off (from any thread, any number of
    times: only the first does anything)."""
    global _fallback
    with _lock:
        fallback, _fallback = _fallback, None
        if fallback is None:
            return
        fallback.cancel()
        gc.enable()


def paused() -> bool:
    """Whether the collector is off because of ``pause()``."""
    return _fallback is not None


def freeze_start_up() -> None:
    """Collect what start-up left, then move every object alive now out of the collector's way
    (``gc.freeze``): a full collection later walks only what the session made. Mid-stream, a full
    collection walking the ~160k objects of start-up held the screen for 130-300 ms
    (tests/benchmarks/bench_three_windows.py). Once, at an idle moment after the first window."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    gc.collect()
    gc.freeze()
