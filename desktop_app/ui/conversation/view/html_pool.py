"""The render process the conversation views share, and each view's line to it.

One process for every window (started when a view first asks, warmed up before its first job);
each view asks for the HTML of the messages around its screen and gets it back as a signal on its
own thread. If the process cannot start or dies, ``broken`` says so and the view renders itself.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from desktop_app.core.platform import gil
from desktop_app.ui.conversation.view.html_worker import Outcomes, render_rows, warm_up
from desktop_app.ui.conversation.view.rows import Row

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

_executor: ProcessPoolExecutor | None = None
_broken = False
_relay: _Relay | None = None
_pools: dict[int, weakref.ref[HtmlPool]] = {}
_pool_ids = itertools.count(1)


class _Relay(QObject):
    """Lives on the GUI thread for good: the executor's thread hands results to it, never to a
    view (which may be gone by then), and it passes them to the view's pool if that still exists.

    Signals:
        arrived(int, int, list, list): pool id, generation, keys asked for, [(key, HTML)].
    """

    arrived = Signal(int, int, list, list)

    def __init__(self) -> None:
        super().__init__()
        self.arrived.connect(self._pass_on)

    @Slot(int, int, list, list)
    def _pass_on(
        self, pool_id: int, generation: int, keys: list[str], results: list[tuple[str, str]]
    ) -> None:
        reference = _pools.get(pool_id)
        pool = reference() if reference is not None else None
        if pool is not None:
            pool.deliver(generation, keys, results)


def _shared() -> ProcessPoolExecutor | None:
    global _executor, _broken
    if _executor is None and not _broken:
        import multiprocessing  # here: start-up does not pay for it
        from concurrent.futures import ProcessPoolExecutor

        gil.share_finely()  # the pool's feeder thread pickles rows while the screen scrolls
        try:
            # spawn: a fork of a process with Qt's threads running is not safe.
            _executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            _executor.submit(warm_up)
            atexit.register(shut_down)  # before the interpreter's teardown, not during it
        except (OSError, RuntimeError, ValueError):
            _broken = True
    return _executor


def shut_down() -> None:
    """The app quits: the render process goes with it (after the job it is on: under 0.1 s)."""
    global _executor
    if _executor is not None:
        executor, _executor = _executor, None
        executor.shutdown(wait=True, cancel_futures=True)


class HtmlPool(QObject):
    """A view's requests to the render process.

    Signals:
        rendered(int, list): a generation and the [(row key, HTML)] made for it.
    """

    rendered = Signal(int, list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pending: set[str] = set()  # row keys asked for and not back yet
        self.failed: set[str] = set()  # rows the process could not render: the view renders them
        self.in_use = False  # asked at least once: the process makes this view's HTML
        self.in_flight = 0
        self._id = next(_pool_ids)
        _pools[self._id] = weakref.ref(self)
        self.destroyed.connect(lambda *_args, key=self._id: _pools.pop(key, None))

    @property
    def broken(self) -> bool:
        return _broken

    def ask(self, generation: int, theme_name: str, rows: list[Row], outcomes: Outcomes) -> bool:
        """Ask for these rows' HTML; False if the process is not there (render them here)."""
        global _relay
        executor = _shared()
        if executor is None or not rows:
            return False
        if _relay is None:
            _relay = _Relay()  # made here, on the GUI thread
        keys = [row.key for row in rows]
        try:
            future = executor.submit(render_rows, theme_name, rows, outcomes)
        except RuntimeError:  # shut down or broken
            return False
        self.pending.update(keys)
        self.in_flight += 1
        self.in_use = True
        relay, pool_id = _relay, self._id
        future.add_done_callback(lambda done: _finished(done, relay, pool_id, generation, keys))
        return True

    def deliver(self, generation: int, keys: Iterable[str], results: list[tuple[str, str]]) -> None:
        self.pending.difference_update(keys)
        self.failed.update(set(keys) - {key for key, _html in results})
        self.in_flight -= 1
        self.rendered.emit(generation, results)


def _finished(
    future: Future[list[tuple[str, str]]], relay: _Relay, pool_id: int, generation: int, keys: list[str]
) -> None:
    """On the executor's thread: the results go to the relay, queued to the GUI thread."""
    global _broken
    from concurrent.futures.process import BrokenProcessPool

    results: list[tuple[str, str]] = []
    try:
        results = future.result()
    except BrokenProcessPool:  # the process died: the views render for themselves from now on
        _broken = True
    except Exception:  # a row failed to render there: the view renders it itself
        pass
    with contextlib.suppress(RuntimeError):  # the app is going away
        relay.arrived.emit(pool_id, generation, keys, results)
