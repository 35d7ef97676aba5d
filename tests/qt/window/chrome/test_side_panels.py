"""ChatSplitter: side panels keep their widths; squeezed for a while, they get them back."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.window.chrome.side_panels import ChatSplitter


def make(qtbot: QtBot) -> tuple[ChatSplitter, QWidget, QWidget, QWidget]:
    splitter = ChatSplitter()
    qtbot.addWidget(splitter)
    left, centre, right = QWidget(), QWidget(), QWidget()
    for widget in (left, centre, right):
        widget.setMinimumWidth(50)
        splitter.addWidget(widget)
    splitter.set_central(centre)
    splitter.setSizes([200, 360, 340])  # before it is shown: kept as asked
    splitter.resize(900 + 2 * splitter.handleWidth(), 300)
    splitter.show()
    qtbot.waitExposed(splitter)
    qtbot.waitUntil(lambda: splitter.sizes() == [200, 360, 340])
    return splitter, left, centre, right


def test_the_centre_needing_more_room_squeezes_the_sides_only_while_it_does(qtbot: QtBot) -> None:
    splitter, left, centre, right = make(qtbot)
    centre.setMinimumWidth(600)  # a bar that cannot be narrower appeared
    qtbot.waitUntil(lambda: splitter.sizes()[1] >= 600)  # setMinimumWidth widens it at once
    assert 100 < left.width() < 200 and 150 < right.width() < 340  # both give, in proportion
    assert splitter.kept_widths() == [200, 340]
    centre.setMinimumWidth(50)  # it went away
    qtbot.waitUntil(lambda: (left.width(), right.width()) == (200, 340))


def test_a_narrower_window_narrows_the_centre_and_a_wider_one_gives_the_sides_back(qtbot: QtBot) -> None:
    splitter, left, centre, right = make(qtbot)
    splitter.resize(700, 300)
    qtbot.waitUntil(lambda: splitter.width() == 700)
    assert (left.width(), right.width()) == (200, 340)
    splitter.resize(400, 300)  # no room: everything at its minimum or near it
    qtbot.waitUntil(lambda: splitter.width() == 400)
    splitter.resize(900 + 2 * splitter.handleWidth(), 300)
    qtbot.waitUntil(lambda: (left.width(), right.width()) == (200, 340))
    assert centre.width() == 360


def test_a_users_drag_is_the_new_width_to_keep(qtbot: QtBot) -> None:
    splitter, left, _centre, right = make(qtbot)
    splitter.moveSplitter(260, 1)  # the user drags the sidebar's edge
    QApplication.processEvents()
    assert splitter.kept_widths()[0] == left.width() == 260
    right.hide()
    right.show()
    qtbot.waitUntil(lambda: right.width() == 340)
