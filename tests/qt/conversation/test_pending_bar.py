"""The waiting prompts' chips: Edit and Cancel always, **Send now** only while a reply streams."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.pending_prompts import PendingPrompts
from desktop_app.ui.conversation.pending_bar import PendingBar


def buttons(bar: PendingBar) -> list[str]:
    return [b.text() for b in bar.findChildren(QPushButton) if b.isVisibleTo(bar)]


def test_send_now_is_offered_on_each_chip_while_a_reply_streams(qtbot: QtBot) -> None:
    bar = PendingBar()
    qtbot.addWidget(bar)
    pending = PendingPrompts()
    first, second = pending.add("first"), pending.add("second\nline two")
    bar.show_pending(pending, "Sends when Copilot is ready")
    assert "Send now" not in buttons(bar) and bar.send_now_buttons() == []
    bar.show_pending(pending, "Sends when this reply ends", steerable=True)
    assert bar.labels() == ["◷ Sends when this reply ends: first", "◷ Sends when this reply ends: second …"]
    send_now = bar.send_now_buttons()
    assert len(send_now) == 2
    assert all(b.focusPolicy() is Qt.FocusPolicy.TabFocus and not b.autoDefault() for b in send_now)
    assert send_now[0].accessibleName() == "Send the waiting message now, into the reply"
    with qtbot.waitSignal(bar.send_now_requested) as sent:
        qtbot.mouseClick(send_now[1], Qt.MouseButton.LeftButton)
    assert sent.args == [second.key]
    with qtbot.waitSignal(bar.send_now_requested) as sent:
        qtbot.mouseClick(send_now[0], Qt.MouseButton.LeftButton)
    assert sent.args == [first.key]


def test_a_prompt_sent_into_the_reply_shows_until_it_is_read(qtbot: QtBot) -> None:
    bar = PendingBar()
    qtbot.addWidget(bar)
    pending = PendingPrompts()
    pending.add("waiting")
    bar.show_pending(pending, "Sends when this reply ends", steerable=True, steering=["on its way\nmore"])
    assert bar.labels() == ["↪ Sent into this reply: on its way …", "◷ Sends when this reply ends: waiting"]
    assert len(bar.send_now_buttons()) == 1  # only the waiting one can still be sent now
    assert not bar.isHidden()
