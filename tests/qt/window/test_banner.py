"""The banner: its buttons, colours that suit the theme (and follow it), and no width of its own."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.rendering.colours.tones import DARK_TONES, LIGHT_TONES
from desktop_app.ui.settings import appearance
from desktop_app.ui.window.banner import Banner


def test_buttons_and_colours_follow_the_theme(qtbot: QtBot, app: QApplication) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    clicked: list[str] = []
    banner.show_message("Retrying…", "warning", [("Give up", lambda: clicked.append("give up"))])
    assert not banner.isHidden()
    assert banner.label.text() == "Retrying…"
    assert LIGHT_TONES.notice_background["warning"] in banner.styleSheet()
    button = banner.button("Give up")
    assert button is not None
    button.click()
    assert clicked == ["give up"]
    appearance.apply(app, "dark")
    app.processEvents()  # the palette change is posted to each widget
    assert DARK_TONES.notice_background["warning"] in banner.styleSheet()  # the shown one, at once
    banner.show_message("Failed", "error")
    assert DARK_TONES.notice_background["error"] in banner.styleSheet()
    assert DARK_TONES.notice_text["error"] in banner.styleSheet()
    assert banner.button_titles == []
    banner.clear()
    assert banner.isHidden()


def test_a_long_message_and_many_buttons_ask_for_no_width(qtbot: QtBot) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    actions = [(f"Action number {n}", lambda: None) for n in range(6)]
    banner.show_message("x" * 2000 + " and some words " * 50, "error", actions)
    banner.resize(400, 200)
    banner.show()
    assert banner.minimumSizeHint().width() < 300
    assert all(b.geometry().right() <= banner.width() for b in banner._buttons)
