"""A conversation trashed from the sidebar: the window leaves it, and Undo brings it back."""

from __future__ import annotations

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.qt.offline_window import store_of


def titles(store: ConversationStore) -> list[str]:
    return sorted(c.title for c in store.list_conversations())


@pytest.mark.asyncio
async def test_trashing_the_conversation_shown_starts_a_new_one_and_undo_restores_it(
    window: ChatWindow,
) -> None:
    store = store_of(window)
    alpha = next(c for c in store.list_conversations() if c.title == "Alpha plans")
    window.open_conversation(alpha.id)
    await wait_until(lambda: window.controller.conversation is not None)
    window.composer.setPlainText("half typed")
    assert window.sidebar is not None
    window.sidebar.trash(alpha.id)
    await wait_until(lambda: window.banner.isVisible())
    assert window.controller.conversation is None  # a new, empty conversation
    assert store.get_conversation(alpha.id).draft == "half typed"  # type: ignore[union-attr]
    assert window.banner.label.text() == "Moved “Alpha plans” to the trash."
    assert titles(store) == ["Beta notes"]
    undo = window.banner.button("Undo")
    assert undo is not None
    undo.click()
    assert titles(store) == ["Alpha plans", "Beta notes"]
    assert window.banner.isHidden()


@pytest.mark.asyncio
async def test_trashing_another_conversation_leaves_the_one_shown(window: ChatWindow) -> None:
    store = store_of(window)
    alpha, beta = sorted(store.list_conversations(), key=lambda c: c.title)
    window.open_conversation(alpha.id)
    await wait_until(lambda: window.controller.conversation is not None)
    window.trash.trashed(beta.id, "")  # what the sidebar's trash leads to
    assert window.controller.conversation is not None and window.controller.conversation.id == alpha.id
    assert window.banner.label.text() == "Moved “New conversation” to the trash."  # an untitled one
