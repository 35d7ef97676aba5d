"""A model picked or typed in the toolbar is applied and handed to the app; the demo has none. The
reasoning effort is the conversation's: picked beside the model, kept with it in the store, shown
again when it is opened, and asked of the model only when the model takes it; a new conversation
starts at the model's default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.config.settings import Settings, Source
from desktop_app.core.vocabulary.catalog.model import CatalogModel, plain_models
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.qt.offline_window import offline_window, store_of


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[ChatWindow]:
    chat = offline_window(qtbot, tmp_path)
    yield chat
    chat.controller.cancel_work()  # apply_settings is the controller's business, not these tests'


def chosen(window: ChatWindow) -> list[Settings]:
    found: list[Settings] = []
    window.settings_chosen.connect(found.append)
    return found


@pytest.mark.asyncio
async def test_a_model_typed_and_entered_is_chosen(
    window: ChatWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied: list[Settings] = []
    monkeypatch.setattr(window.controller, "apply_settings", applied.append)
    settings = chosen(window)
    window.chips.show_models(plain_models(["gpt-a", "gpt-b"]), "gpt-a")
    window.model_picker.setCurrentText("  my-model ")
    line = window.model_picker.lineEdit()
    assert line is not None
    line.returnPressed.emit()
    # Enter in the box also activates the item it became: the same choice, each time.
    assert settings and {s.copilot_model for s in settings} == {"my-model"}
    assert applied == settings  # each applied


@pytest.mark.asyncio
async def test_on_an_endpoint_the_pick_is_the_endpoints_model(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_endpoint = Settings(source=Source.ENDPOINT, endpoint_url="http://localhost:1")
    window = offline_window(qtbot, tmp_path / "endpoint", settings=on_endpoint)
    monkeypatch.setattr(window.controller, "apply_settings", lambda _settings: None)
    settings = chosen(window)
    window.chips.show_models(plain_models(["local-a", "local-b"]), "local-a")
    window.model_picker.setCurrentIndex(1)
    window.model_picker.activated.emit(1)
    assert [s.endpoint_model for s in settings] == ["local-b"]


def test_the_model_in_use_or_the_demo_is_no_new_choice(
    qtbot: QtBot, window: ChatWindow, tmp_path: Path
) -> None:
    settings = chosen(window)
    window.choices.choose_model(window.controller.settings.model)
    window.choices.choose_model("   ")
    demo = offline_window(qtbot, tmp_path / "demo", settings=Settings(source=Source.DEMO))
    demo_settings = chosen(demo)
    demo.choices.choose_model("anything")
    assert settings == [] and demo_settings == []


@pytest.mark.asyncio
async def test_try_the_demo_applies_the_demo(window: ChatWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    applied: list[Settings] = []
    monkeypatch.setattr(window.controller, "apply_settings", applied.append)
    window.choices.use_demo()
    assert [s.source for s in applied] == [Source.DEMO]


def test_the_settings_dialog_is_made_once_and_opened_each_time(qtbot: QtBot, window: ChatWindow) -> None:
    window.open_settings()
    dialog = window.choices.dialog
    assert dialog is not None and dialog.isVisible() and window._settings_dialog is dialog
    dialog.reject()
    window.menus.settings_action.trigger()
    assert window.choices.dialog is dialog and dialog.isVisible()
    dialog.reject()


# -- the reasoning effort, each conversation's ------------------------------------------------------
MINI = CatalogModel("gpt-5-mini", "GPT-5 mini", 0.0, ("low", "medium", "high"), "medium", 128_000)
SONNET = CatalogModel("sonnet", "Claude Sonnet", 1.0)


@pytest.fixture
def effort_window(qtbot: QtBot, tmp_path: Path) -> Iterator[ChatWindow]:
    """Two saved conversations, Copilot's models listed (as the CLI would), GPT-5 mini chosen."""
    chat = offline_window(
        qtbot, tmp_path, ("Alpha plans", "Beta notes"), Settings(copilot_model="gpt-5-mini")
    )
    chat.controller._connection.models_changed.emit([MINI, SONNET], "gpt-5-mini")  # as the CLI lists them
    yield chat
    chat.controller.cancel_work()


def pick(window: ChatWindow, text: str) -> None:
    picker = window.chips.effort_picker
    index = picker.findText(text)
    assert index >= 0, text
    picker.setCurrentIndex(index)
    picker.activated.emit(index)


def shown(window: ChatWindow) -> str:
    return window.chips.effort_picker.currentText()


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
async def test_each_conversation_keeps_its_effort_and_shows_it_again(effort_window: ChatWindow) -> None:
    window = effort_window
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
    effort_window: ChatWindow,
) -> None:
    window = effort_window
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
    qtbot: QtBot, effort_window: ChatWindow
) -> None:
    window = effort_window
    controller = window.controller
    pick(window, "High")
    await controller.apply_settings(controller.settings.with_overrides(copilot_model="sonnet"))
    controller._connection.models_changed.emit([MINI, SONNET], "sonnet")
    qtbot.waitUntil(window.chips.effort_picker.isHidden)
    assert controller.target().reasoning_effort == ""  # the CLI refuses a level a model lacks
    assert controller.models.effort() == "high"  # still the conversation's, should it go back
    await controller.apply_settings(controller.settings.with_overrides(copilot_model="gpt-5-mini"))
    controller._connection.models_changed.emit([MINI, SONNET], "gpt-5-mini")
    qtbot.waitUntil(lambda: not window.chips.effort_picker.isHidden())
    assert shown(window) == "High" and controller.target().reasoning_effort == "high"
