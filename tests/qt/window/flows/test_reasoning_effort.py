"""The reasoning effort is the conversation's: picked beside the model, kept with it in the store,
shown again when it is opened, and asked of the model only when the model takes it. A new
conversation starts at the model's default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.config.settings import Settings
from desktop_app.core.vocabulary.catalog.model import CatalogModel
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.qt.offline_window import offline_window, store_of

MINI = CatalogModel("gpt-5-mini", "GPT-5 mini", 0.0, ("low", "medium", "high"), "medium", 128_000)
SONNET = CatalogModel("sonnet", "Claude Sonnet", 1.0)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[ChatWindow]:
    chat = offline_window(
        qtbot, tmp_path, ("Alpha plans", "Beta notes"), Settings(copilot_model="gpt-5-mini")
    )
    chat.controller._connection.models_changed.emit([MINI, SONNET], "gpt-5-mini")  # as the CLI lists them
    yield chat
    chat.controller.cancel_work()


def pick(window: ChatWindow, text: str) -> None:
    picker = window.toolbar.effort_picker
    index = picker.findText(text)
    assert index >= 0, text
    picker.setCurrentIndex(index)
    picker.activated.emit(index)


def shown(window: ChatWindow) -> str:
    return window.toolbar.effort_picker.currentText()


async def open_titled(window: ChatWindow, title: str) -> None:
    conversation = next(c for c in store_of(window).list_conversations() if c.title == title)
    window.open_conversation(conversation.id)
    await wait_until(
        lambda: (
            window.controller.conversation is not None
            and window.controller.conversation.id == conversation.id
        )
    )


@pytest.mark.asyncio
async def test_each_conversation_keeps_its_effort_and_shows_it_again(window: ChatWindow) -> None:
    controller = window.controller
    assert shown(window) == "Medium (default)"
    assert controller.target().reasoning_effort == "medium"  # the model's default, said out loud
    await open_titled(window, "Alpha plans")
    pick(window, "Low")
    await wait_until(lambda: not controller.working)
    alpha = controller.conversation
    assert alpha is not None and store_of(window).get_conversation(alpha.id).reasoning_effort == "low"  # type: ignore[union-attr]
    assert controller.target().reasoning_effort == "low"
    await open_titled(window, "Beta notes")
    assert shown(window) == "Medium (default)" and controller.target().reasoning_effort == "medium"
    await open_titled(window, "Alpha plans")
    assert shown(window) == "Low"
    pick(window, "Medium (default)")  # back to the model's own
    await wait_until(lambda: not controller.working)
    assert store_of(window).get_conversation(alpha.id).reasoning_effort == ""  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_a_new_conversation_starts_at_the_models_default_and_is_saved_with_its_pick(
    window: ChatWindow,
) -> None:
    controller = window.controller
    await open_titled(window, "Alpha plans")
    pick(window, "High")
    window.new_conversation()
    await wait_until(lambda: controller.conversation is None and not controller.working)
    assert shown(window) == "Medium (default)"  # not the level the last conversation used
    pick(window, "Low")
    assert controller.models.effort() == "low"
    saved = controller._open.save_for(controller.target())  # what its first prompt does
    assert saved is not None and saved.reasoning_effort == "low"


@pytest.mark.asyncio
async def test_a_model_without_levels_hides_the_picker_and_is_asked_for_none(
    qtbot: QtBot, window: ChatWindow
) -> None:
    controller = window.controller
    pick(window, "High")
    await controller.apply_settings(controller.settings.with_overrides(copilot_model="sonnet"))
    controller._connection.models_changed.emit([MINI, SONNET], "sonnet")
    qtbot.waitUntil(window.toolbar.effort_picker.isHidden)
    assert controller.target().reasoning_effort == ""  # the CLI refuses a level a model lacks
    assert controller.models.effort() == "high"  # still the conversation's, should it go back
    await controller.apply_settings(controller.settings.with_overrides(copilot_model="gpt-5-mini"))
    controller._connection.models_changed.emit([MINI, SONNET], "gpt-5-mini")
    qtbot.waitUntil(lambda: not window.toolbar.effort_picker.isHidden())
    assert shown(window) == "High" and controller.target().reasoning_effort == "high"
