"""The system browser for a Qt test: ``QDesktopServices.openUrl`` hands https URLs to it.

It records every URL it was asked to open; one on the scripted GitHub it visits (``browse``, on the
scripted GitHub's own loop, so the Qt loop never blocks) and keeps what the page said. Anything else
is only recorded: a test never opens a real browser, and nothing leaves the machine.
"""

from __future__ import annotations

import concurrent.futures
import threading

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from tests.scripted_github.browser import BrowserVisit
from tests.scripted_github.server import ScriptedGitHub


class ScriptedBrowser(QObject):
    """``install()`` makes it the handler of https URLs; ``uninstall()`` gives them back."""

    def __init__(self, github: ScriptedGitHub, visit: bool = True) -> None:
        super().__init__()
        self.github = github
        self.visit = visit  # False: record only (a test that cancels before the browser answers)
        self._lock = threading.Lock()
        self._opened: list[str] = []
        self._visits: list[BrowserVisit] = []
        self._errors: list[BaseException] = []

    def install(self) -> None:
        QDesktopServices.setUrlHandler("https", self, "open")  # type: ignore[arg-type]  # bytes: refused

    def uninstall(self) -> None:
        QDesktopServices.unsetUrlHandler("https")

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        with self._lock:
            self._opened.append(text)
        if self.visit and self.github.serves(text):
            self.github.browse_soon(text).add_done_callback(self._done)

    def _done(self, future: concurrent.futures.Future[BrowserVisit]) -> None:
        error = future.exception()
        with self._lock:
            if error is not None:
                self._errors.append(error)
            else:
                self._visits.append(future.result())

    @property
    def opened(self) -> list[str]:
        """Every URL the app asked to open, in order."""
        with self._lock:
            return list(self._opened)

    @property
    def visits(self) -> list[BrowserVisit]:
        """What each visited page ended on (the CLI's callback page after GitHub's redirect)."""
        with self._lock:
            return list(self._visits)

    @property
    def errors(self) -> list[BaseException]:
        with self._lock:
            return list(self._errors)
