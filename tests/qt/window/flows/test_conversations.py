"""The conversation shown: its messages, its draft, its title; one open elsewhere is gone to there."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app import APP_NAME
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.qt.offline_window import offline_window, store_of


@pytest.mark.asyncio
async def test_opening_a_conversation_shows_it_with_its_draft_and_title(window: ChatWindow) -> None:
    store = store_of(window)
    alpha = next(c for c in store.list_conversations() if c.title == "Alpha plans")
    store.set_draft(alpha.id, "where was I")
    with_changes: list[None] = []
    window.layout_changed.connect(lambda: with_changes.append(None))
    window.open_conversation(alpha.id)
    await wait_until(lambda: window.controller.conversation is not None)
    assert "hello from Alpha plans" in window.view.toPlainText()
    assert window.composer.toPlainText() == "where was I"
    assert window.windowTitle() == f"Alpha plans — {APP_NAME}"
    assert with_changes  # the app remembers which conversation this window shows
    window.new_conversation()
    await wait_until(lambda: window.controller.conversation is None)
    assert window.windowTitle() == APP_NAME and window.composer.toPlainText() == ""


@pytest.mark.asyncio
async def test_a_conversation_open_in_another_window_is_gone_to_there(
    qtbot: QtBot, window: ChatWindow, tmp_path: Path
) -> None:
    other = offline_window(qtbot, tmp_path / "other")
    window.activateWindow()
    await wait_until(window.isActiveWindow)
    alpha = store_of(window).list_conversations()[0]
    window.owner_of = lambda cid: other if cid == alpha.id else None
    window.open_conversation(alpha.id)
    await wait_until(other.isActiveWindow)  # brought to the front
    assert not window.controller.working and window.controller.conversation is None


def test_a_long_title_is_cut_and_the_sessions_title_replaces_it(window: ChatWindow) -> None:
    window.controller.bridge.title_changed.emit("x" * 80)
    assert window.windowTitle() == f"{'x' * 60} — {APP_NAME}"
    window.conversations.show_title("")
    assert window.windowTitle() == APP_NAME
