"""The platform's own notifications, through desktop-notifier: freedesktop D-Bus on Linux (which
works without a system tray, as on GNOME), the notification centres on macOS and Windows.

Qt's tray messages need a tray; this needs only a notification server. The first failure (no
session bus, no server) turns it off for the rest of the run, so the app falls back to the tray
without a warning per reply. Runs on the UI's asyncio loop: the click arrives there as a callback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.platform import background_import

if TYPE_CHECKING:
    from desktop_notifier import DesktopNotifier

log = logging.getLogger(__name__)

TIMEOUT_S = 8  # how long a server that honours it shows the notification


class SystemNotifications:
    def __init__(self, app_name: str, icon: Path | None = None) -> None:
        self.app_name = app_name
        self.icon = icon if icon is not None and icon.exists() else None
        self.available = True  # until the first attempt fails
        self._notifier: DesktopNotifier | None = None

    async def send(self, title: str, text: str, on_clicked: Callable[[], None]) -> bool:
        """Show a notification; ``on_clicked`` runs when the user clicks it. False if it was not
        shown (and will not be tried again this run)."""
        if not self.available:
            return False
        dispatched: list[bool] = []
        try:
            notifier = await self._get()
            await notifier.send(
                title=markup_free(title),
                message=markup_free(text),
                on_clicked=on_clicked,
                on_dispatched=lambda: dispatched.append(True),
                timeout=TIMEOUT_S,
            )
        except Exception:  # desktop-notifier logs the cause; a missing backend raises here
            log.debug("System notifications failed", exc_info=True)
        if not dispatched:
            self.available = False
            log.info("No notification server: falling back to the system tray, if any")
        return bool(dispatched)

    async def _get(self) -> DesktopNotifier:
        if self._notifier is None:
            # Imported on first use, on a worker thread (a reply may be streaming in another window),
            # with the platform backend it loads (D-Bus, Cocoa or WinRT): 50 ms.
            main = await background_import.import_module("desktop_notifier.main")
            await asyncio.to_thread(main.get_backend_class)
        if self._notifier is None:  # (another send may have made it meanwhile)
            from desktop_notifier import DesktopNotifier, Icon

            icon = Icon(path=self.icon) if self.icon is not None else None
            self._notifier = DesktopNotifier(app_name=self.app_name, app_icon=icon)
        return self._notifier


# Notification servers that announce "body-markup" (GNOME, KDE, dunst) read <b>, <a href> and
# <img src> in a body; one that does not shows entities literally. A summary of model text must be
# neither markup nor mangled: the three markup characters become lookalikes that mean nothing.
_MARKUP_FREE = str.maketrans({"<": "‹", ">": "›", "&": "＆"})


def markup_free(text: str) -> str:
    """``text`` as no notification server can read markup in it."""
    return text.translate(_MARKUP_FREE)
