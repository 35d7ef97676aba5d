"""Enter never does nothing: a prompt waits visibly until Copilot can take it, or the window says why
it cannot go; typing in the conversation goes to the composer, and a clicked link lets go of focus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Role
from desktop_app.core.vocabulary.notices import Phase
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.qt.offline_window import active_offline_window


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[ChatWindow]:
    chat = active_offline_window(qtbot, tmp_path, ("Alpha plans",))
    yield chat
    chat.controller.cancel_work()


def type_and_send(qtbot: QtBot, window: ChatWindow, text: str) -> None:
    window.composer.setFocus()
    qtbot.keyClicks(window.composer, text)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)


def test_a_prompt_sent_while_copilot_starts_waits_visibly(qtbot: QtBot, window: ChatWindow) -> None:
    assert window.controller.phase is Phase.STARTING
    assert window.send_button.isEnabled()  # sending now is allowed: it waits
    type_and_send(qtbot, window, "first question")
    type_and_send(qtbot, window, "second one")
    assert window.composer.toPlainText() == ""
    assert window.controller.pending.texts() == ["first question", "second one"]
    assert window.pending_bar.isVisible()
    assert window.pending_bar.labels() == [
        "◷ Sends when Copilot is ready: first question",
        "◷ Sends when Copilot is ready: second one",
    ]


def test_edit_takes_a_waiting_prompt_back_and_cancel_drops_it(qtbot: QtBot, window: ChatWindow) -> None:
    type_and_send(qtbot, window, "keep me")
    type_and_send(qtbot, window, "drop me")
    qtbot.keyClicks(window.composer, "typing on")
    edits = [b for b in window.pending_bar.findChildren(type(window.send_button)) if b.text() == "Edit"]
    qtbot.mouseClick(edits[0], Qt.MouseButton.LeftButton)
    assert window.composer.toPlainText() == "keep me\ntyping on"
    assert window.composer.hasFocus()
    cancels = [b for b in window.pending_bar.findChildren(type(window.send_button)) if b.text() == "Cancel"]
    cancels = [b for b in cancels if b.isVisible()]
    qtbot.mouseClick(cancels[0], Qt.MouseButton.LeftButton)
    assert window.controller.pending.texts() == []
    qtbot.waitUntil(lambda: not window.pending_bar.isVisible())


def test_a_prompt_that_cannot_go_says_why_next_to_the_composer(qtbot: QtBot, window: ChatWindow) -> None:
    window.controller._set_phase(Phase.NEEDS_SIGN_IN)
    assert not window.send_button.isEnabled()
    type_and_send(qtbot, window, "hello?")
    assert window.composer.toPlainText() == "hello?"  # kept, not sent, not queued
    assert window.controller.pending.texts() == []
    assert window.pending_bar.refusal.isVisible()
    assert "sign in to GitHub" in window.pending_bar.refusal.text()
    qtbot.keyClicks(window.composer, "!")  # the user acts on it: the note goes
    assert not window.pending_bar.refusal.isVisible()


@pytest.mark.asyncio
async def test_waiting_prompts_are_saved_with_the_draft_and_stay_with_their_conversation(
    qtbot: QtBot, window: ChatWindow
) -> None:
    store = window.controller.store
    assert store is not None
    alpha = store.list_conversations()[0]
    window.open_conversation(alpha.id)
    await wait_until(lambda: window.controller.conversation is not None)
    type_and_send(qtbot, window, "for alpha")
    qtbot.keyClicks(window.composer, "half typed")
    window._save_draft()
    assert store.get_conversation(alpha.id).draft == "for alpha\n\nhalf typed"  # type: ignore[union-attr]
    window.new_conversation()  # the user leaves: the waiting prompt stays behind as alpha's draft
    await wait_until(lambda: window.controller.conversation is None)
    assert window.controller.pending.texts() == []
    assert store.get_conversation(alpha.id).draft == "for alpha\n\nhalf typed"  # type: ignore[union-attr]
    window.open_conversation(alpha.id)
    await wait_until(lambda: window.composer.toPlainText() == "for alpha\n\nhalf typed")


def anchor_point(window: ChatWindow, prefix: str) -> QPoint:
    """Where on the view's viewport a link whose href starts with ``prefix`` is drawn."""
    point = window.view.link_point(prefix)
    assert point is not None, f"no {prefix} link"
    return point


@pytest.mark.asyncio
async def test_after_clicking_copy_typing_and_enter_go_to_the_composer(
    qtbot: QtBot, window: ChatWindow
) -> None:
    store = window.controller.store
    assert store is not None
    alpha = store.list_conversations()[0]
    store.add_message(alpha.id, Role.ASSISTANT, "Here:\n\n```python\nprint(1)\n```\n")
    window.open_conversation(alpha.id)
    await wait_until(lambda: "print(1)" in window.view.toPlainText())
    copies: list[str] = []
    window.view.copied.connect(copies.append)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=anchor_point(window, "copy:code"))
    assert copies == ["Code copied to the clipboard."]
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and clipboard.text() == "print(1)"
    assert window.composer.hasFocus()  # the link let go of the keyboard
    qtbot.keyClicks(QApplication.focusWidget(), "thanks")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert copies == ["Code copied to the clipboard."]  # Enter did not run the link again
    assert window.controller.pending.texts() == ["thanks"]


def test_typing_in_the_conversation_goes_to_the_composer(qtbot: QtBot, window: ChatWindow) -> None:
    window.view.setFocus()
    assert window.view.hasFocus()
    qtbot.keyClicks(window.view, "Hi there")
    assert window.composer.toPlainText() == "Hi there"
    assert window.composer.hasFocus()
    # Shortcuts stay the view's: Ctrl+A selects the conversation, it types nothing.
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert window.view.hasFocus() and window.composer.toPlainText() == "Hi there"
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    clipboard.setText(" pasted")
    qtbot.keyClick(window.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.composer.toPlainText() == "Hi there pasted"


def test_a_waiting_prompt_that_looks_like_html_is_shown_as_text(qtbot: QtBot, window: ChatWindow) -> None:
    type_and_send(qtbot, window, '<img src="/dev/zero"><b>bold?</b>')
    label = next(label for label in window.pending_bar.findChildren(QLabel) if "Sends when" in label.text())
    assert label.textFormat() is Qt.TextFormat.PlainText
    assert label.text().endswith('<img src="/dev/zero"><b>bold?</b>')
    assert "&lt;img" in label.toolTip()  # escaped: Qt would render a tooltip that looks like HTML
