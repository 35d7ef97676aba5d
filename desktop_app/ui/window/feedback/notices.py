"""The banner's notices: each ``NoticeKind`` the controller emits gets its own buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from desktop_app.core.config.settings import Source
from desktop_app.core.vocabulary.notices import Notice, NoticeKind
from desktop_app.core.vocabulary.usage.wording import COPILOT_SETTINGS_URL
from desktop_app.ui.account.usage_details import open_url
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.window.banner import Banner

Actions = list[tuple[str, Callable[[], object]]]


class BannerNotices(QObject):
    """Routes the controller's notices to the banner; ``open_settings`` and ``use_demo`` are what the
    sign-in and endpoint notices offer, with ``sign_in`` (the sign-in window). ``report`` is the
    window's own word (export, sharing)."""

    def __init__(
        self,
        banner: Banner,
        controller: ChatController,
        open_settings: Callable[[], None],
        use_demo: Callable[[], None],
        sign_in: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(banner)
        self._banner = banner
        self._controller = controller
        self._open_settings = open_settings
        self._use_demo = use_demo
        self._sign_in = sign_in

    @Slot(Notice)
    def show(self, notice: Notice) -> None:
        if notice.kind in (NoticeKind.CLEAR, NoticeKind.READY):
            self._banner.clear()
            if notice.kind is NoticeKind.READY and self._controller.settings.source is Source.DEMO:
                self._banner.show_message(notice.text, "info")
            return
        self._banner.show_message(notice.text, notice.level, self.actions_for(notice.kind))

    def actions_for(self, kind: NoticeKind) -> Actions:
        """The buttons a notice of ``kind`` offers (STARTING has none: it only says what happens)."""
        c = self._controller
        if kind is NoticeKind.SIGN_IN:
            return [
                ("Sign in with GitHub", self._sign_in),
                ("Re-check", c.recheck),
                ("Use a model endpoint…", self._open_settings),
                ("Try the demo", self._use_demo),
            ]
        if kind is NoticeKind.ENDPOINT:
            return [("Settings…", self._open_settings)]
        if kind is NoticeKind.FAILED:
            return [
                ("Retry", c.start),
                ("Settings…", self._open_settings),
            ]
        if kind is NoticeKind.INTERRUPTED:
            return [("Regenerate", c.versions.retry_last)]
        if kind is NoticeKind.RESUME_FAILED:
            return [("Continue in a new session", c.continue_in_new_session)]
        if kind is NoticeKind.RETRYING:
            return [("Stop", c.stop)]
        if kind is NoticeKind.ERROR:
            return [("Dismiss", self._banner.clear)]
        if kind is NoticeKind.QUOTA:
            return [
                ("Copilot settings", lambda: open_url(COPILOT_SETTINGS_URL)),
                ("Dismiss", self._banner.clear),
            ]
        return []

    def report(self, text: str, level: str) -> None:
        """A message of the window's own; an error can be dismissed."""
        actions: Actions = [("Dismiss", self._banner.clear)] if level == "error" else []
        self._banner.show_message(text, level, actions)
