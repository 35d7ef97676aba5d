"""End-to-end fixtures: the real Copilot CLI through the real SDK, against the scripted model server
and, for the signed-in path, the scripted GitHub (``tests/scripted_github``)."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from desktop_app.app import DesktopApp
from desktop_app.cli.command_line import build_parser
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import SETTINGS_FILE
from desktop_app.core.copilot.account.stored_sign_in import split_header
from desktop_app.core.copilot.cli_discovery import CliNotFoundError, find_cli
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.model_server import ModelServer
from tests.scripted_github import ScriptedGitHub
from tests.scripted_github.qt_browser import ScriptedBrowser

# Every variable the pinned CLI (1.0.102) takes a GitHub token from, first match wins in this order
# (GITHUB_COPILOT_* are its older spellings).
TOKEN_VARIABLES = (
    "COPILOT_GITHUB_TOKEN",
    "GH_TOKEN",
    "GITHUB_TOKEN",
    "GITHUB_COPILOT_GITHUB_TOKEN",
    "GITHUB_COPILOT_AGENT_GITHUB_TOKEN",
    "COPILOT_SDK_AUTH_TOKEN",
)
SIGN_IN_KEYS = ("authTokens", "loggedInUsers", "lastLoggedInUser")  # in <copilot home>/config.json

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


@pytest.fixture(autouse=True)
def no_real_github_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """No CLI an e2e test starts ever sees the developer's (or CI's) own GitHub token."""
    for name in TOKEN_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def scripted_github(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedGitHub]:
    """The scripted GitHub, started, with one account ("octocat", Copilot Pro, 300 premium requests),
    and this process's environment pointed at it, so a CLI the app starts asks it and nothing else."""
    github = ScriptedGitHub.start()
    for name, value in github.env().items():
        monkeypatch.setenv(name, value)
    yield github
    github.stop()


@pytest.fixture
def signed_in_github(scripted_github: ScriptedGitHub, monkeypatch: pytest.MonkeyPatch) -> ScriptedGitHub:
    """``scripted_github`` with the CLI signed in from the start as "octocat" (through
    ``COPILOT_GITHUB_TOKEN``: the CLI says "octocat (via COPILOT_GITHUB_TOKEN)", auth type "env")."""
    monkeypatch.setenv("COPILOT_GITHUB_TOKEN", scripted_github.account("octocat").token)
    return scripted_github


@pytest.fixture
def scripted_browser(scripted_github: ScriptedGitHub) -> Iterator[ScriptedBrowser]:
    """The system browser, for the app's ``QDesktopServices.openUrl``: it records every https URL
    and opens the scripted GitHub's (the sign-in page: approved as ``approve_as``'s account)."""
    browser = ScriptedBrowser(scripted_github)
    browser.install()
    yield browser
    browser.uninstall()


@pytest.fixture(scope="session")
def _github_data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("githubdata")


@pytest.fixture
def github_data_dir(_github_data_root: Path) -> Path:
    """A ``--data-dir`` for signed-in tests (kept apart from ``shared_data_dir``, whose tests expect to
    be signed out), unpacked once per run; each test starts signed out: the sign-ins the CLI stored
    in its config file (there is no keychain in tests) are removed first, and with the app's default
    settings (answers from Copilot, its default model)."""
    paths = AppPaths.under(_github_data_root)
    forget_every_sign_in(paths.copilot_home)
    (paths.config_dir / SETTINGS_FILE).unlink(missing_ok=True)
    return _github_data_root


def forget_every_sign_in(copilot_home: Path | None) -> None:
    config_file = (copilot_home or Path()) / "config.json"
    if copilot_home is None or not config_file.exists():
        return
    header, body = split_header(config_file.read_text(encoding="utf-8"))
    config = json.loads(body or "{}")
    if isinstance(config, dict) and any(key in config for key in SIGN_IN_KEYS):
        kept = {k: v for k, v in config.items() if k not in SIGN_IN_KEYS}
        config_file.write_text(header + json.dumps(kept, indent=2) + "\n", encoding="utf-8")


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
