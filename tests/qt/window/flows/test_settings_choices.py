"""A model picked or typed in the toolbar is applied and handed to the app; the demo has none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.config.settings import Settings, Source
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[ChatWindow]:
    chat = offline_window(qtbot, tmp_path)
    yield chat
    chat.controller.tasks.cancel_all()  # apply_settings is the controller's business, not these tests'


def chosen(window: ChatWindow) -> list[Settings]:
    found: list[Settings] = []
    window.settings_chosen.connect(found.append)
    return found


@pytest.mark.asyncio
async def test_a_model_typed_and_entered_is_chosen(window: ChatWindow) -> None:
    settings = chosen(window)
    window.toolbar.show_models(["gpt-a", "gpt-b"], "gpt-a")
    window.model_picker.setCurrentText("  my-model ")
    line = window.model_picker.lineEdit()
    assert line is not None
    line.returnPressed.emit()
    # Enter in the box also activates the item it became: the same choice, each time.
    assert settings and {s.copilot_model for s in settings} == {"my-model"}
    assert len(window.controller.tasks) == len(settings)  # each applied


@pytest.mark.asyncio
async def test_on_an_endpoint_the_pick_is_the_endpoints_model(window: ChatWindow) -> None:
    window.controller.settings = Settings(source=Source.ENDPOINT, endpoint_url="http://localhost:1")
    settings = chosen(window)
    window.toolbar.show_models(["local-a", "local-b"], "local-a")
    window.model_picker.setCurrentIndex(1)
    window.model_picker.activated.emit(1)
    assert [s.endpoint_model for s in settings] == ["local-b"]


def test_the_model_in_use_or_the_demo_is_no_new_choice(window: ChatWindow) -> None:
    settings = chosen(window)
    window.choices.choose_model(window.controller.settings.model)
    window.choices.choose_model("   ")
    window.controller.settings = Settings(source=Source.DEMO)
    window.choices.choose_model("anything")
    assert settings == []


@pytest.mark.asyncio
async def test_try_the_demo_applies_the_demo(window: ChatWindow) -> None:
    window.choices.use_demo()
    assert len(window.controller.tasks) == 1


def test_the_settings_dialog_is_made_once_and_opened_each_time(qtbot: QtBot, window: ChatWindow) -> None:
    window.open_settings()
    dialog = window.choices.dialog
    assert dialog is not None and dialog.isVisible() and window._settings_dialog is dialog
    dialog.reject()
    window.menus.settings_action.trigger()
    assert window.choices.dialog is dialog and dialog.isVisible()
    dialog.reject()
