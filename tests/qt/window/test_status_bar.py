"""The status bar's reply figures: nothing before a reply, the live line, a reopened reply's line."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.metrics import EMPTY, MetricsSnapshot, saved_figures
from desktop_app.ui.window.status_bar import ChatStatusBar


def test_the_figures_shown_follow_what_was_measured(qtbot: QtBot) -> None:
    bar = ChatStatusBar()
    qtbot.addWidget(bar)
    assert bar.metrics_label.text() == "No reply yet"
    bar.show_metrics(MetricsSnapshot("gpt-5", 3, True, None, 0.4, 0.5, False))
    assert bar.metrics_label.text() == "3 tokens · – tok/s · first token 0.40 s · 0.5 s · gpt-5"  # too short
    bar.show_metrics(saved_figures("<b>m</b>", 340, 11_200.0, 1_200.0))
    text = "Last reply: 1.2 s to first token · 34 tok/s · 340 tokens · <b>m</b>"
    assert bar.metrics_label.text() == text  # a model's name is plain text
    assert "<b>m" not in bar.metrics_label.toolTip()
    bar.show_metrics(EMPTY)
    assert bar.metrics_label.text() == "No reply yet"
