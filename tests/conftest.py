"""Shared test set-up: Qt offscreen, asyncio tests on a real qasync loop, and no silent warnings."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication


def _qasync_loop() -> asyncio.AbstractEventLoop:
    app = QApplication.instance() or QApplication([])
    return qasync.QEventLoop(app)  # type: ignore[no-any-return]


def pytest_asyncio_loop_factories(config: Any, item: Any) -> dict[str, Any]:
    """Every asyncio test runs on qasync's loop, as the app does."""
    return {"qasync": _qasync_loop}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "expected_warnings: the test expects the app to log warnings (not a failure)"
    )


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("desktop_app"):
            self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_logged_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    """A warning the app logs is a test failure unless the test says it expects one (qutebrowser)."""
    handler = _Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    yield
    root.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("expected_warnings") is None:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in handler.records)
        pytest.fail(f"unexpected warnings were logged:\n{lines}")


@pytest.fixture(autouse=True)
def empty_clipboard() -> Iterator[None]:
    """Empty the clipboard after each test while Python still runs.

    Under the offscreen platform the clipboard is a C++ global that outlives the interpreter: a
    ``QMimeData`` made in Python and left on it is deleted by an exit handler after Python has gone,
    and the whole run ends in a segmentation fault (a red run, whatever the tests said).
    """
    yield
    app = QApplication.instance()
    if app is not None:
        QApplication.clipboard().clear()


@pytest.fixture(autouse=True)
def collect_qt_garbage() -> Iterator[None]:
    """Collect garbage between tests, at a safe point.

    Each asyncio test gets its own qasync loop. A closed loop's timer object stays registered with
    Qt until its timers fire once more; if the cyclic GC happens to free it inside that very timer
    event, Qt crashes. Collecting here frees it while no event is being delivered.
    """
    yield
    gc.collect()


async def wait_signal(signal: Any, timeout: float = 10.0) -> tuple[Any, ...]:
    """Await a Qt signal inside an async test (``qtbot.waitSignal`` would nest an event loop)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[tuple[Any, ...]] = loop.create_future()

    def on_signal(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(on_signal)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        signal.disconnect(on_signal)


async def wait_until(predicate: Any, timeout: float = 10.0, interval: float = 0.02) -> None:
    """Poll ``predicate`` on the running loop until it is true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)


@pytest.fixture(scope="session")
def cli_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One root for the real CLI's homes, for tests outside e2e that start it (it unpacks its
    235 MB runtime once per home); skips where the CLI is not installed."""
    from desktop_app.core.copilot.cli_discovery import CliNotFoundError, find_cli

    try:
        find_cli()
    except CliNotFoundError:
        pytest.skip("the Copilot CLI is not installed (make setup)")
    return tmp_path_factory.mktemp("cli-home")
