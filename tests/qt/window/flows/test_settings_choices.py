"""A model picked or typed in the toolbar is applied and handed to the app; the demo has none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.config.settings import Settings, Source
from desktop_app.core.vocabulary.catalog.model import plain_models
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window


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
    window.toolbar.show_models(plain_models(["gpt-a", "gpt-b"]), "gpt-a")
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
    window.toolbar.show_models(plain_models(["local-a", "local-b"]), "local-a")
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
