"""ElidedLabel and FlowLayout: long texts and many buttons fit the width given, never ask for more."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.platform.fitting.elided_label import ElidedLabel
from desktop_app.ui.platform.fitting.flow_layout import FlowLayout


def test_a_long_text_is_elided_and_asks_for_a_few_characters(qtbot: QtBot) -> None:
    label = ElidedLabel("word " * 400)
    qtbot.addWidget(label)
    assert label.minimumSizeHint().width() < 100
    label.resize(200, 20)
    label.show()
    assert label.shown_text().endswith("…")
    assert label.fontMetrics().horizontalAdvance(label.shown_text()) <= 200
    assert label.full_text == label.text() == "word " * 400
    assert "word word" in label.toolTip()  # the whole text, when cut
    label.setText("short")
    assert label.shown_text() == "short"
    assert label.toolTip() == ""


def test_text_that_looks_like_markup_stays_text(qtbot: QtBot) -> None:
    label = ElidedLabel("<b>bold</b> <img src=x>")
    qtbot.addWidget(label)
    label.resize(400, 20)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.shown_text() == "<b>bold</b> <img src=x>"
    label.set_link('http://127.0.0.1:1/"><script>', 'http://127.0.0.1:1/"><script>')
    assert "<script>" not in label.shown_text()
    assert "&quot;&gt;&lt;script&gt;" in label.shown_text()


def test_an_owners_tooltip_is_kept(qtbot: QtBot) -> None:
    label = ElidedLabel("x" * 500)
    qtbot.addWidget(label)
    label.set_tip("the figures")
    label.resize(100, 20)
    assert "the figures" in label.toolTip()


def test_buttons_wrap_onto_rows_and_the_minimum_is_the_widest(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    outer = QVBoxLayout(host)
    flow = FlowLayout()
    outer.addLayout(flow)
    buttons = [QPushButton(f"A rather long button {n}", host) for n in range(6)]
    for button in buttons[:-1]:
        flow.addWidget(button)
    flow.add_to_end(buttons[-1])
    widest = max(b.sizeHint().width() for b in buttons)
    assert flow.minimumSize().width() <= widest
    one_row = flow.sizeHint().height()
    assert flow.heightForWidth(widest + 10) > 3 * one_row  # one a row
    host.resize(widest + 40, 400)
    host.show()
    qtbot.waitExposed(host)
    rows = {b.geometry().y() for b in buttons}
    assert len(rows) == len(buttons)
    assert all(b.geometry().right() <= host.width() for b in buttons)
    host.resize(2000, 100)
    qtbot.waitUntil(lambda: len({b.geometry().y() for b in buttons}) == 1)
    assert buttons[-1].geometry().right() > 1900  # pushed to the row's end
