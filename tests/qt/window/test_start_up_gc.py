"""The collector paused for the start-up is back on once the app's first window has been shown."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import desktop_app.app as app_module
from desktop_app.app import DesktopApp
from desktop_app.cli.command_line import build_parser
from desktop_app.core.platform import start_up_gc
from desktop_app.ui.controller.controller import ChatController
from tests.conftest import wait_until


@pytest.fixture
def desktop(
    qapp: QApplication, app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[DesktopApp]:
    """The real app on a new data dir, its windows offline (no CLI is started)."""
    monkeypatch.setattr(ChatController, "start", lambda self: None)
    root = logging.getLogger()
    level = root.level
    args = build_parser().parse_args(["--demo", "--data-dir", str(tmp_path)])
    args.log_console = False
    yield DesktopApp(app, args)
    for handler in app_module._OUR_HANDLERS:
        root.removeHandler(handler)
        handler.close()
    app_module._OUR_HANDLERS.clear()
    root.setLevel(level)
    start_up_gc.resume()


@pytest.mark.asyncio
async def test_the_collector_is_back_on_once_the_first_window_shows(desktop: DesktopApp) -> None:
    assert start_up_gc.pause()
    running = asyncio.get_running_loop().create_task(desktop.run())
    try:
        await wait_until(lambda: gc.isenabled(), 5)
        assert desktop.windows and desktop.windows[0].isVisible()
        assert not start_up_gc.paused()
    finally:
        desktop.quit()
        await asyncio.wait_for(running, 10)
