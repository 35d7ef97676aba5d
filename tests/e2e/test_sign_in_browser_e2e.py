"""Sign in with GitHub through the real CLI, with no GitHub at all: the browser really opens at
GitHub's page, a redirect whose code cannot be exchanged fails clearly, and Cancel ends the flow.

Nothing leaves the machine: the CLI's HTTPS goes to a proxy address on 127.0.0.1 where nothing listens,
and the "browser" is a URL handler the test puts in Qt's place (``QDesktopServices.setUrlHandler``),
which is what the app's ``open_in_browser`` calls.
"""

from __future__ import annotations

import asyncio
import socket
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import SETTINGS_FILE
from desktop_app.core.copilot.account import sign_in_words as words
from desktop_app.core.vocabulary.account import Stage
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.e2e.conftest import running_app

pytestmark = pytest.mark.asyncio


class RecordingBrowser(QObject):
    """Stands in for the system browser: records each page it is asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))


@pytest.fixture
def browser() -> Iterator[RecordingBrowser]:
    fake = RecordingBrowser()
    QDesktopServices.setUrlHandler("https", fake, "open")
    QDesktopServices.setUrlHandler("http", fake, "open")
    yield fake
    QDesktopServices.unsetUrlHandler("https")
    QDesktopServices.unsetUrlHandler("http")


@pytest.fixture
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every HTTPS request of the CLI goes to a 127.0.0.1 port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, dead)
    for name in ("NO_PROXY", "no_proxy", "GH_TOKEN", "GITHUB_TOKEN", "COPILOT_GITHUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def copilot_data_dir(shared_data_dir: Path) -> Path:
    """``shared_data_dir`` with answers from GitHub Copilot again (another test may have saved an
    endpoint there as the source); it is signed out: its tests never sign in."""
    (AppPaths.under(shared_data_dir).config_dir / SETTINGS_FILE).unlink(missing_ok=True)
    return shared_data_dir


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).items()}


async def start_sign_in(qtbot: QtBot, window: ChatWindow, browser: RecordingBrowser) -> str:
    """Click the banner's Sign in with GitHub; the GitHub page the browser was sent to."""
    assert window.controller.phase.value == "needs_sign_in"
    button = window.banner.button("Sign in with GitHub")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: browser.opened, timeout=30)
    dialog = window.sign_in.dialog
    assert dialog is not None and dialog.isVisible()
    await wait_until(lambda: dialog.cancel_button.isVisible() and dialog.link.isVisible(), timeout=10)
    return browser.opened[-1]


async def test_the_browser_opens_at_githubs_page_and_cancel_ends_the_flow(
    qtbot: QtBot, copilot_data_dir: Path, browser: RecordingBrowser, no_internet: None
) -> None:
    async with running_app("--data-dir", str(copilot_data_dir)) as window:
        qtbot.addWidget(window)
        url = await start_sign_in(qtbot, window, browser)
        assert url.startswith("https://github.com/login/oauth/authorize?")
        params = query(url)
        assert params["redirect_uri"].startswith("http://127.0.0.1:")
        assert params["code_challenge_method"] == "S256" and params["state"]
        dialog = window.sign_in.dialog
        assert dialog is not None and dialog.link.text() == url
        assert "Waiting for GitHub" in dialog.status.text()
        assert window.isEnabled() and window.composer.isEnabled()  # the window stays usable
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: dialog.status.text() == "Sign-in cancelled.", timeout=15)
        assert dialog.retry_button.isVisible() and not dialog.cancel_button.isVisible()
        # The CLI stopped listening for GitHub's redirect.
        assert await stops_answering(f"{params['redirect_uri']}?code=x&state=y", timeout=15)
        assert window.controller.phase.value == "needs_sign_in"
        dialog.close()


async def answers(url: str) -> bool:
    """Does anything still listen at ``url`` (any HTTP answer counts)?"""
    try:
        async with aiohttp.ClientSession() as http, http.get(url, timeout=aiohttp.ClientTimeout(total=2)):
            return True
    except (aiohttp.ClientError, OSError, TimeoutError):
        return False


async def stops_answering(url: str, timeout: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if not await answers(url):
            return True
        await asyncio.sleep(0.3)
    return False


async def test_a_code_that_cannot_be_exchanged_fails_clearly_and_can_be_tried_again(
    qtbot: QtBot, copilot_data_dir: Path, browser: RecordingBrowser, no_internet: None
) -> None:
    async with running_app("--data-dir", str(copilot_data_dir)) as window:
        qtbot.addWidget(window)
        url = await start_sign_in(qtbot, window, browser)
        params = query(url)
        callback = f"{params['redirect_uri']}?" + urllib.parse.urlencode(
            {"code": "not-a-real-code", "state": params["state"]}
        )
        async with aiohttp.ClientSession() as http, http.get(callback) as page:
            assert page.status == 200  # the CLI took the redirect; exchanging the code is what fails
        dialog = window.sign_in.dialog
        assert dialog is not None
        await wait_until(lambda: dialog.status.text() == words.NO_NETWORK, timeout=60)
        assert dialog.retry_button.isVisible() and dialog.close_button.isVisible()
        assert window.controller.account.sign_in_state is not None
        assert window.controller.account.sign_in_state.stage is Stage.FAILED
        assert window.controller.phase.value == "needs_sign_in"
        assert window.account_button.text() == "Not signed in"
        # Try again starts a new flow: the browser is sent to GitHub again, with a new state.
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: len(browser.opened) == 2, timeout=30)
        assert query(browser.opened[-1])["state"] != params["state"]
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: dialog.status.text() == "Sign-in cancelled.", timeout=15)
        dialog.close()
