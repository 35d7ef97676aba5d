"""follow_palette restyles on a theme switch, at once; tint and tone read the current theme."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop_app.core.rendering.colours.tones import DARK_TONES, LIGHT_TONES
from desktop_app.ui.platform.live_palette import follow_palette, tint, tone
from desktop_app.ui.settings import appearance


def test_restyle_runs_now_and_on_each_switch_with_the_new_colours(qtbot: QtBot, app: QApplication) -> None:
    label = QLabel("warning")
    qtbot.addWidget(label)
    follower = follow_palette(label, lambda: label.setStyleSheet(f"color:{tint('warning_text')};"))
    assert LIGHT_TONES.warning_text in label.styleSheet()
    for choice, tones in (("dark", DARK_TONES), ("light", LIGHT_TONES), ("dark", DARK_TONES)):
        appearance.apply(app, choice)
        app.processEvents()
        assert tone() is tones
        assert tones.warning_text in label.styleSheet()
    assert follower.runs >= 4


def test_tint_reads_palette_roles_and_tone_names(app: QApplication) -> None:
    assert tint(QPalette.ColorRole.Window) == app.palette().color(QPalette.ColorRole.Window).name()
    assert tint("muted") == LIGHT_TONES.muted
    with pytest.raises(KeyError):
        tint("notice_text")  # a dict, not a colour
    with pytest.raises(AttributeError):
        tint("no such colour")
