"""The system browser: where GitHub's sign-in page opens (``QDesktopServices``, so a test can put a
fake browser in with ``QDesktopServices.setUrlHandler``)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_in_browser(url: str) -> bool:
    """False when no browser could be started (the window then says to open the link by hand)."""
    return bool(QDesktopServices.openUrl(QUrl(url, QUrl.ParsingMode.StrictMode)))
