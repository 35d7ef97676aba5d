"""A theme switch reaches every widget of the window on that switch, not one switch behind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.rendering.colours.contrast import readable
from desktop_app.core.rendering.colours.tones import DARK_TONES, LIGHT_TONES, Tones
from desktop_app.ui.settings import appearance
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window
from tests.qt.window.test_window_width import long_prompt

SWITCHES = (("dark", DARK_TONES), ("light", LIGHT_TONES), ("dark", DARK_TONES), ("light", LIGHT_TONES))


def colour(role: QPalette.ColorRole) -> str:
    return QApplication.palette().color(role).name()


def window_with_everything(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    """Every widget that has colours of its own, showing something."""
    window = offline_window(qtbot, tmp_path, ("First",))
    window.banner.show_message("Could not reach Copilot", "error", [("Try again", lambda: None)])
    window.permission_card.ask(long_prompt())
    window.share_bar.show_url("http://127.0.0.1:4321/s/token")
    window.share_bar.show_lan(True, ["http://192.168.1.20:4321/s/token"])
    window.pending_bar.show_refusal("Sign in to GitHub to send this")
    window.toolbar.show_source("Demo model", True)
    window.search.open_search()
    dialog = window._search_dialog
    assert dialog is not None
    dialog.query.setText("hello")
    dialog.run_search()
    assert dialog.results.count() == 1
    window.open_settings()
    return window


def search_label(window: ChatWindow) -> QLabel:
    dialog = window._search_dialog
    assert dialog is not None
    label = dialog.results.itemWidget(dialog.results.item(0))
    assert isinstance(label, QLabel)
    return label


def assert_in_theme(window: ChatWindow, tones: Tones) -> None:
    assert tones.notice_background["error"] in window.banner.styleSheet()
    assert tones.notice_text["error"] in window.banner.styleSheet()
    assert colour(QPalette.ColorRole.Highlight) in window.permission_card.styleSheet()  # focus ring
    assert tones.warning_text in window.permission_card.warning.styleSheet()
    assert colour(QPalette.ColorRole.Link) in window.share_bar.link.shown_text()
    assert tones.warning_text in window.share_bar.state.styleSheet()  # sharing on the network
    assert tones.error_text in window.pending_bar.refusal.styleSheet()
    assert tones.demo_badge in window.toolbar.source_badge.styleSheet()
    assert colour(QPalette.ColorRole.Mid) in window.status.usage_gauge.styleSheet()
    label = search_label(window)
    assert tones.search_match in label.text() and tones.muted in label.text()
    assert readable(tones.text, tones.search_match)  # dark-mode highlights are readable
    dialogs: list[QWidget] = [d for d in (window._search_dialog, window._settings_dialog) if d is not None]
    assert len(dialogs) == 2
    window_colour = colour(QPalette.ColorRole.Window)
    widgets = [window, window.status, window.toolbar, window.tool_panel, *dialogs]
    if window.sidebar is not None:
        widgets.append(window.sidebar)
    for widget in widgets:
        assert widget.palette().color(QPalette.ColorRole.Window).name() == window_colour, widget
    base = colour(QPalette.ColorRole.Base)  # lists and text fields, style sheets or not
    fields: list[QWidget] = [window.composer, window.permission_card.detail, window.tool_panel.list]
    if window.sidebar is not None:
        fields.append(window.sidebar.list)  # it has a style sheet: polished again per theme
    for field in fields:
        assert field.palette().color(QPalette.ColorRole.Base).name() == base, field


def test_each_switch_restyles_every_widget_at_once(qtbot: QtBot, tmp_path: Path, app: QApplication) -> None:
    window = window_with_everything(qtbot, tmp_path)
    assert_in_theme(window, LIGHT_TONES)
    for choice, tones in SWITCHES:
        appearance.apply(app, choice)
        app.processEvents()  # the switch's palette change is posted to each widget: one pass
        assert_in_theme(window, tones)


def test_dark_search_highlights_are_readable_under_the_dark_text(app: QApplication) -> None:
    appearance.apply(app, "dark")
    app.processEvents()
    text = colour(QPalette.ColorRole.Text)
    assert readable(text, DARK_TONES.search_match)
    assert readable(text, DARK_TONES.notice_background["warning"])
