"""Nothing is approved by accident, end to end: the real CLI asks to run a shell command while the
user is typing their next prompt and pressing Enter and Space, and nothing runs until they
deliberately allow it (or it is denied, and the turn ends with nothing run)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.tool_calls import ToolStatus
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.e2e.test_chat_e2e import start_asking
from tests.e2e.test_tools_e2e import agent_window, shell
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio
KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Space, Qt.Key.Key_Enter)


def focused(window: ChatWindow) -> QWidget:
    widget = QApplication.focusWidget()
    return widget if widget is not None else window.composer


def type_a_little(qtbot: QtBot, window: ChatWindow, early: bool) -> None:
    """What a user typing a prompt sends: letters, Space and Enter, at the composer and at whatever
    has the focus; while the request is new (``early``), Ctrl+Enter too, which must not count yet."""
    for target in (window.composer, focused(window)):
        qtbot.keyClicks(target, "and ")
        for key in KEYS:
            qtbot.keyClick(target, key)
    if early and not window.permission_card.armed:  # no timer fires between the check and the key
        qtbot.keyClick(focused(window), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def drop_typed(window: ChatWindow) -> None:
    """The user clears the composer and cancels the prompts Enter queued."""
    window.composer.clear()
    for prompt in window.controller.pending:
        window.controller.take_pending(prompt.key)


async def keep_typing_as_the_request_arrives(qtbot: QtBot, window: ChatWindow) -> None:
    card = window.permission_card
    await wait_until(lambda: window.controller.busy)  # the prompt went out; the user types the next
    window.composer.setFocus()
    async with asyncio.timeout(60):
        while card.current is None:
            type_a_little(qtbot, window, early=True)
            await asyncio.sleep(0.01)
    assert QApplication.focusWidget() is card  # the request itself, never an Allow button
    while not card.armed:  # the whole first second
        type_a_little(qtbot, window, early=True)
        await asyncio.sleep(0.05)
    for _ in range(5):  # and after it: plain keys on the card or in the composer still answer nothing
        type_a_little(qtbot, window, early=False)
        await asyncio.sleep(0.05)
    assert QApplication.focusWidget() is card


async def test_a_shell_request_arriving_while_the_user_types_runs_nothing(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with agent_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        card, ran = window.permission_card, tmp_path / "typed-through.txt"
        finished = await start_asking(qtbot, window, shell("touch typed-through.txt"))
        await keep_typing_as_the_request_arrives(qtbot, window)
        await asyncio.sleep(0.5)  # had anything been allowed, the command would have run by now
        assert not ran.exists()
        assert card.current is not None and card.current.detail == "touch typed-through.txt"
        call = window.controller.tools.calls[-1]
        assert call.status is ToolStatus.PENDING and call.decision == "Waiting for your answer"
        assert not finished.done()
        # What was typed is kept, not lost: in the composer, or (what Enter sent) waiting to be sent
        # after this reply, never as an answer to the request.
        assert "and" in window.composer.toPlainText()
        assert window.controller.pending and all("and" in t for t in window.controller.pending.texts())
        drop_typed(window)
        qtbot.mouseClick(card.allow_once, Qt.MouseButton.LeftButton)  # the deliberate click
        await finished
        assert ran.exists()
        assert window.controller.tools.calls[-1].decision == "Allowed once"

        # The same again, and Esc on the card denies: the turn ends and nothing ran.
        denied = tmp_path / "typed-then-denied.txt"
        finished = await start_asking(qtbot, window, shell("touch typed-then-denied.txt"))
        await keep_typing_as_the_request_arrives(qtbot, window)
        drop_typed(window)
        qtbot.keyClick(card, Qt.Key.Key_Escape)
        await finished
        assert not denied.exists()
        assert window.controller.tools.calls[-1].status is ToolStatus.DENIED
        await wait_until(lambda: card.current is None)
