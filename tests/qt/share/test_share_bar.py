"""The share bar: LAN sharing needs the user to read a warning and agree; Enter and Esc refuse."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.ui.share.share_bar import LAN_WARNING, ShareBar

LOCAL = "http://127.0.0.1:4321/s/token"
NETWORK = "http://192.168.1.20:4321/s/token"


def _bar(qtbot: QtBot) -> tuple[ShareBar, list[bool]]:
    bar = ShareBar()
    qtbot.addWidget(bar)
    requests: list[bool] = []
    bar.lan_requested.connect(requests.append)
    bar.show_url(LOCAL)
    return bar, requests


def _warning(qtbot: QtBot, bar: ShareBar) -> QMessageBox:
    bar.lan_box.click()
    assert bar.warning is not None and bar.asking
    qtbot.waitExposed(bar.warning)
    assert not bar.lan_box.isChecked()  # not on while the user reads
    return bar.warning


def test_turning_lan_on_asks_first_and_enter_or_escape_says_no(qtbot: QtBot) -> None:
    bar, requests = _bar(qtbot)
    warning = _warning(qtbot, bar)
    assert warning.text() == LAN_WARNING and "not encrypted" in warning.text()
    assert warning.defaultButton() is warning.escapeButton()  # Enter does the safe thing
    qtbot.keyClick(warning, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not bar.asking)
    warning = _warning(qtbot, bar)
    qtbot.keyClick(warning, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not bar.asking)
    assert requests == [] and not bar.lan_box.isChecked()


def test_agreeing_asks_for_lan_and_the_bar_then_shows_the_network_link(qtbot: QtBot) -> None:
    bar, requests = _bar(qtbot)
    warning = _warning(qtbot, bar)
    agree = next(b for b in warning.buttons() if warning.buttonRole(b) is QMessageBox.ButtonRole.AcceptRole)
    agree.click()
    assert requests == [True]
    bar.show_lan(True, [NETWORK, "http://10.0.0.5:4321/s/token"])
    assert bar.lan_box.isChecked()
    assert "network" in bar.state.text() and NETWORK in bar.link.full_text
    assert "10.0.0.5" in bar.link.toolTip()
    bar.copy_link()
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and clipboard.text() == NETWORK

    assert not bar.asking
    bar.lan_box.click()  # off needs no warning
    assert requests == [True, False] and not bar.asking
    bar.show_lan(False, [])
    assert LOCAL in bar.link.full_text and "network" not in bar.state.text()


def test_without_a_network_address_the_bar_says_so(qtbot: QtBot) -> None:
    bar, _ = _bar(qtbot)
    bar.show_lan(True, [])
    assert "no network address found" in bar.link.full_text and bar.shown_url == LOCAL


def test_stopping_closes_an_open_warning_and_resets_lan(qtbot: QtBot) -> None:
    bar, requests = _bar(qtbot)
    warning = _warning(qtbot, bar)
    bar.show_url("")
    qtbot.waitUntil(lambda: not warning.isVisible())
    assert requests == [] and not bar.isVisible()
    bar.show_url(LOCAL)
    assert not bar.lan_box.isChecked() and bar.shown_url == LOCAL
