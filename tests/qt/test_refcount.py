"""PySide6 6.12.0 on Python 3.11 drops a reference to None/True on every void call or emit.

Stream tens of thousands of updates through the real view and signals and check the counts hold.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from desktop_app.ui.chat_view import ChatView


class _Emitter(QObject):
    flag = Signal(bool)
    text = Signal(str)


def test_streaming_keeps_none_and_true_refcounts(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    emitter = _Emitter()
    seen: list[bool] = []
    emitter.flag.connect(seen.append)
    emitter.text.connect(view.append_delta)
    view.begin_assistant()
    # Warm up so lazily created objects do not count.
    for _ in range(100):
        emitter.text.emit("w ")
        emitter.flag.emit(True)
    view._render_tick()
    seen.clear()
    none_before = sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    updates = 20_000
    for i in range(updates):
        emitter.text.emit("word ")
        emitter.flag.emit(True)
        if i % 200 == 0:
            view._render_tick()
            view.verticalScrollBar().setValue(0)
    view.finish_assistant()
    assert len(seen) == updates
    # The bug drops one reference per call (tens of thousands); allow for unrelated noise.
    assert sys.getrefcount(None) - none_before > -500
    assert sys.getrefcount(True) - true_before > -500
