"""Streaming renders of several windows run one per event-loop turn, in order, each once."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer
from pytestqt.qtbot import QtBot

from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.view.render_turns import RenderTurns


def test_renders_due_together_run_one_per_loop_turn(qtbot: QtBot) -> None:
    turns = RenderTurns()
    ran: list[str] = []
    beats: list[int] = []
    heartbeat = QTimer()
    heartbeat.setInterval(0)
    heartbeat.timeout.connect(lambda: beats.append(len(ran)))
    heartbeat.start()
    for name in ("a", "b", "c"):
        turns.request(lambda name=name: ran.append(name))
    turns.request(turns._waiting[0])  # asked again before it ran: still once
    qtbot.waitUntil(lambda: len(ran) == 3)
    heartbeat.stop()
    assert ran == ["a", "b", "c"]
    assert turns.waiting == 0
    assert {1, 2} <= set(beats), "the loop had a turn between the renders"


def test_a_cancelled_render_does_not_run(qtbot: QtBot) -> None:
    turns = RenderTurns()
    ran: list[str] = []

    def first() -> None:
        ran.append("first")

    turns.request(first)
    turns.cancel(first)
    QCoreApplication.processEvents()
    assert ran == []


def test_two_views_streaming_at_once_both_render_their_replies(qtbot: QtBot) -> None:
    views = [ChatView(), ChatView()]
    qtbot.addWidget(views[1])
    for index, view in enumerate(views):
        view.begin_assistant()
        view.append_delta(f"**reply {index}** streaming")
    qtbot.waitUntil(lambda: all(f"reply {i} streaming" in v.toPlainText() for i, v in enumerate(views)))
    views[0].append_delta(" its render queued")
    views[1].append_delta(" and more")
    views[0].deleteLater()  # closed before its render's turn came
    qtbot.waitUntil(lambda: "streaming and more" in views[1].toPlainText())
