"""The banner's notices: each kind its buttons, each button its command; the window's own reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.config.settings import Settings, Source
from desktop_app.core.rendering.theme import LIGHT
from desktop_app.core.vocabulary.notices import Level, Notice, NoticeKind
from desktop_app.ui.window.banner import Banner
from desktop_app.ui.window.chat_window import ChatWindow
from desktop_app.ui.window.feedback.notices import BannerNotices
from tests.qt.offline_window import offline_window

BUTTONS = {
    NoticeKind.STARTING: [],
    NoticeKind.SIGN_IN: ["Sign in with GitHub", "Re-check", "Use a model endpoint…", "Try the demo"],
    NoticeKind.ENDPOINT: ["Settings…"],
    NoticeKind.FAILED: ["Retry", "Settings…"],
    NoticeKind.RETRYING: ["Stop"],
    NoticeKind.ERROR: ["Dismiss"],
    NoticeKind.INTERRUPTED: ["Regenerate"],
    NoticeKind.RESUME_FAILED: ["Continue in a new session"],
    NoticeKind.QUOTA: ["Copilot settings", "Dismiss"],
}


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    return offline_window(qtbot, tmp_path)


def test_every_kind_is_routed(window: ChatWindow) -> None:
    # A kind the banner shows with no branch would lose its buttons: STARTING is the one without.
    assert set(BUTTONS) | {NoticeKind.READY, NoticeKind.CLEAR} == set(NoticeKind)


@pytest.mark.parametrize("kind", list(BUTTONS))
def test_each_kind_shows_its_text_and_its_buttons(window: ChatWindow, kind: NoticeKind) -> None:
    window.controller.notice.emit(Notice(kind, f"About {kind}", Level.WARNING))
    assert not window.banner.isHidden()
    assert window.banner.label.text() == f"About {kind}"
    assert window.banner.button_titles == BUTTONS[kind]
    assert LIGHT.notices["warning"] in window.banner.styleSheet()  # the notice's level, its colour


def test_clear_and_ready_take_the_banner_away(window: ChatWindow) -> None:
    for kind in (NoticeKind.CLEAR, NoticeKind.READY):
        window.controller.notice.emit(Notice(NoticeKind.ERROR, "Broken", Level.ERROR))
        window.controller.notice.emit(Notice(kind, "GitHub Copilot"))
        assert window.banner.isHidden() and window.banner.label.text() == ""


def test_ready_on_the_demo_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    window = offline_window(qtbot, tmp_path / "demo", settings=Settings(source=Source.DEMO))
    window.controller.notice.emit(Notice(NoticeKind.READY, "Scripted demo model (not Copilot)"))
    assert not window.banner.isHidden()
    assert window.banner.label.text() == "Scripted demo model (not Copilot)"
    assert window.banner.button_titles == []


def test_the_buttons_run_their_commands(qtbot: QtBot, window: ChatWindow) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    ran: list[str] = []
    notices = BannerNotices(
        banner, window.controller, lambda: ran.append("settings"), lambda: ran.append("demo")
    )
    notices.show(Notice(NoticeKind.SIGN_IN, "Sign in first", Level.WARNING))
    for title in ("Use a model endpoint…", "Try the demo"):
        button = banner.button(title)
        assert button is not None
        button.click()
    notices.show(Notice(NoticeKind.ENDPOINT, "No endpoint", Level.WARNING))
    settings = banner.button("Settings…")
    assert settings is not None
    settings.click()
    assert ran == ["settings", "demo", "settings"]
    notices.show(Notice(NoticeKind.ERROR, "Broken", Level.ERROR))
    dismiss = banner.button("Dismiss")
    assert dismiss is not None
    dismiss.click()
    assert banner.isHidden()


def test_the_window_reports_errors_with_dismiss_and_the_rest_without(window: ChatWindow) -> None:
    window.notices.report("Exported to /tmp/x.md", "info")
    assert window.banner.label.text() == "Exported to /tmp/x.md" and window.banner.button_titles == []
    window.notices.report("Could not write /tmp/x.md: Permission denied", "error")
    assert window.banner.button_titles == ["Dismiss"]
    assert LIGHT.notices["error"] in window.banner.styleSheet()


def test_the_retrying_banner_goes_at_the_first_text_and_deltas_reach_nobody_otherwise(
    window: ChatWindow,
) -> None:
    from desktop_app.core.vocabulary.events import TextDelta
    from desktop_app.ui.signals.session_bridge import TEXT_DELTA

    bridge = window.controller.bridge
    assert bridge.receivers(TEXT_DELTA) == 0  # a streaming reply's deltas cost no signal
    bridge.call_failed.emit("Connection refused", 1, -1)
    assert window.banner.isVisibleTo(window) and "retrying" in window.banner.label.text()
    assert bridge.receivers(TEXT_DELTA) == 1  # now the first text is waited for
    bridge.dispatch(TextDelta("m1", "Hello"))
    assert not window.banner.isVisibleTo(window)
    assert bridge.receivers(TEXT_DELTA) == 0
