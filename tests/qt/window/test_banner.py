"""The banner: its buttons, and colours that suit the palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from desktop_app.core.rendering.theme import DARK, LIGHT
from desktop_app.ui.window.banner import Banner


def test_buttons_and_colours_follow_the_palette(qtbot: QtBot) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    clicked: list[str] = []
    banner.show_message("Retrying…", "warning", [("Give up", lambda: clicked.append("give up"))])
    assert not banner.isHidden()
    assert banner.label.text() == "Retrying…"
    assert LIGHT.notices["warning"] in banner.styleSheet()
    button = banner.button("Give up")
    assert button is not None
    button.click()
    assert clicked == ["give up"]
    palette = banner.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    banner.setPalette(palette)
    banner.show_message("Failed", "error")
    assert DARK.notices["error"] in banner.styleSheet()
    assert banner.button_titles == []
    banner.clear()
    assert banner.isHidden()
