"""End-to-end fixtures: the real Copilot CLI through the real SDK, against the scripted model server."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from desktop_app.app import DesktopApp
from desktop_app.cli.command_line import build_parser
from desktop_app.core.copilot.cli_discovery import CliNotFoundError, find_cli
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.model_server import ModelServer

try:
    find_cli()
    HAVE_CLI = True
except CliNotFoundError:
    HAVE_CLI = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)
            if not HAVE_CLI:
                item.add_marker(pytest.mark.skip(reason="the Copilot CLI is not installed (make setup)"))


@pytest.fixture
def model_server() -> Iterator[ModelServer]:
    server = ModelServer.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir for most tests, so the CLI unpacks its 235 MB runtime only once."""
    return tmp_path_factory.mktemp("appdata")


def make_args(*argv: str) -> argparse.Namespace:
    args = build_parser().parse_args(list(argv))
    args.log_console = False
    return args


@contextlib.asynccontextmanager
async def running_app(*argv: str, wait_ready: bool = True) -> AsyncIterator[ChatWindow]:
    """The app as ``copilot-desktop ARGV`` builds it, with one window; shut down afterwards."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desktop = DesktopApp(app, make_args(*argv))
    window = desktop.open_window()
    try:
        if wait_ready:
            await wait_until(lambda: window.controller.phase.value != "starting", timeout=60)
        yield window
    finally:
        window.close()
        await desktop.shutdown()


@contextlib.asynccontextmanager
async def running_desktop(*argv: str) -> AsyncIterator[DesktopApp]:
    """The whole app (for several windows), with its first window open and ready."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desktop = DesktopApp(app, make_args(*argv))
    window = desktop.open_window()
    try:
        await wait_until(lambda: window.controller.phase.value != "starting", timeout=60)
        yield desktop
    finally:
        for open_window in list(desktop.windows):
            open_window.close()
        await desktop.shutdown()
