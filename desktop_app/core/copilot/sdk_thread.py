"""The Copilot SDK on an asyncio loop of its own, in its own thread.

The SDK parses every notification the CLI sends (dataclasses, UUIDs, dateutil timestamps) on the
loop that runs it. With three windows streaming at the CLI's top speed that is thousands of events
a second; on the UI's loop it froze the windows for seconds (tests/benchmarks/bench_three_windows.py).
Here the SDK parses on its thread, ``from_sdk`` maps each event there, and an ``EventPump`` hands
the app's small ``ChatEvent``s to the UI loop in batches that each take at most a few milliseconds.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from desktop_app.core.copilot import sdk_speedups
from desktop_app.core.platform.loop_thread import run_loop_until_stopped

log = logging.getLogger(__name__)

T = TypeVar("T")
E = TypeVar("E")

BATCH_BUDGET_S = 0.006  # the UI loop delivers events for at most this long before it paints again


class SdkLoop:
    """An event loop in a daemon thread; ``run`` awaits a coroutine there from another loop."""

    def __init__(self, name: str = "copilot-sdk") -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self.start()
        assert self._loop is not None
        return self._loop

    def in_thread(self) -> bool:
        return self._thread is not None and threading.current_thread() is self._thread

    def start(self) -> None:
        if self._loop is not None:
            return
        sdk_speedups.install()
        ready = threading.Event()
        loop = asyncio.new_event_loop()

        def serve() -> None:
            ready.set()
            run_loop_until_stopped(loop)

        self._thread = threading.Thread(target=serve, name=self._name, daemon=True)
        self._loop = loop
        self._thread.start()
        ready.wait()

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the SDK's loop; cancelling the caller cancels it there too."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            future.cancel()
            raise

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        if thread.is_alive():
            log.warning("The SDK thread did not stop within 10 s")


class EventPump:
    """Carries items from any thread to one asyncio loop, delivered in short batches in order.

    One wake-up is scheduled however many items arrive before it runs; each batch stops after
    ``BATCH_BUDGET_S`` and yields, so Qt can paint and take input between batches.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._queue: deque[tuple[Callable[[Any], None], Any]] = deque()
        self._lock = threading.Lock()
        self._scheduled = False
        self.batches = 0  # for tests and benchmarks

    def put(self, deliver: Callable[[E], None], item: E) -> None:
        with self._lock:
            self._queue.append((deliver, item))
            if self._scheduled:
                return
            self._scheduled = True
        try:
            self._loop.call_soon_threadsafe(self._drain)
        except RuntimeError:  # the UI loop is closed: the app is exiting
            with self._lock:
                self._scheduled = False

    def _drain(self) -> None:
        self.batches += 1
        deadline = time.perf_counter() + BATCH_BUDGET_S
        while True:
            with self._lock:
                if not self._queue:
                    self._scheduled = False
                    return
                deliver, item = self._queue.popleft()
            try:
                deliver(item)
            except Exception:
                log.exception("Delivering a session event failed")
            if time.perf_counter() > deadline:
                self._loop.call_soon(self._drain)
                return
