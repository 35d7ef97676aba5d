"""Background asyncio tasks owned by a Qt object: kept referenced, errors logged, cancelled on close."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class TaskGroup:
    def __init__(self, name: str) -> None:
        self._name = name
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def spawn_if_looping(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any] | None:
        """``spawn``, or nothing (the coroutine closed) where no event loop runs: a widget built in
        a plain test, say (the app's qasync loop runs whenever a slot does)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            coro.close()
            return None
        return self.spawn(coro)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("%s task failed", self._name, exc_info=exc)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    async def wait(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def __len__(self) -> int:
        return len(self._tasks)
