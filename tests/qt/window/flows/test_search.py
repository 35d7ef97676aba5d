"""Search (Ctrl+K) goes to the chosen message: in its conversation, opened if need be."""

from __future__ import annotations

import pytest

from desktop_app.core.storage.models import Role
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.qt.offline_window import store_of


@pytest.mark.asyncio
async def test_the_chosen_result_opens_its_conversation(window: ChatWindow) -> None:
    window.menus.search_action.trigger()
    dialog = window.search.dialog
    assert dialog is not None and dialog.isVisible() and window._search_dialog is dialog
    dialog.query.setText("Beta")
    dialog.run_search()
    assert dialog.results.count() == 1
    dialog.choose_current()
    await wait_until(lambda: window.controller.conversation is not None)
    assert window.controller.conversation.title == "Beta notes"  # type: ignore[union-attr]
    assert "hello from Beta notes" in window.view.toPlainText()
    assert not dialog.isVisible()


@pytest.mark.asyncio
async def test_a_message_of_the_conversation_shown_is_scrolled_to_in_place(window: ChatWindow) -> None:
    store = store_of(window)
    alpha = next(c for c in store.list_conversations() if c.title == "Alpha plans")
    window.open_conversation(alpha.id)
    await wait_until(lambda: window.controller.conversation is not None)
    shown = window.controller.conversation
    first = store.messages(alpha.id)[0]
    window.search.show_message(alpha.id, first.id)
    assert window.controller.conversation is shown  # not opened again


@pytest.mark.asyncio
async def test_a_message_newer_than_the_view_reopens_its_conversation(window: ChatWindow) -> None:
    store = store_of(window)
    alpha = next(c for c in store.list_conversations() if c.title == "Alpha plans")
    window.open_conversation(alpha.id)
    await wait_until(lambda: window.controller.conversation is not None)
    shown = window.controller.conversation
    later = store.add_message(alpha.id, Role.ASSISTANT, "an answer sent in another window")
    window.search.show_message(alpha.id, later.id)
    await wait_until(lambda: window.controller.conversation not in (None, shown))
    assert "an answer sent in another window" in window.view.toPlainText()
