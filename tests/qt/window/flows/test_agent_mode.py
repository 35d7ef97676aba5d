"""Agent mode needs a folder the user picks; cancelling the folder dialog leaves Chat mode as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.ui.platform.file_dialogs import Place, start_folder
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[ChatWindow]:
    chat = offline_window(qtbot, tmp_path)
    yield chat
    chat.controller.cancel_work()


def folder_dialogs(window: ChatWindow) -> list[QFileDialog]:
    return [d for d in window.findChildren(QFileDialog) if d.isVisible()]


def pick(window: ChatWindow, mode: Mode) -> None:
    picker = window.mode_picker
    index = picker.findData(mode.value)
    picker.setCurrentIndex(index)
    picker.activated.emit(index)  # what a user's pick does


def test_choosing_agent_asks_for_the_folder_and_cancelling_goes_back_to_chat(window: ChatWindow) -> None:
    pick(window, Mode.AGENT)
    (dialog,) = folder_dialogs(window)
    assert dialog.windowTitle() == "Choose the folder Copilot may work in"
    assert dialog.fileMode() is QFileDialog.FileMode.Directory
    assert dialog.directory().absolutePath() == start_folder(Place.FOLDERS)  # Documents or home
    assert dialog.directory().absolutePath() != str(Path.cwd()) or Path.cwd() == Path.home()
    dialog.reject()
    assert window.mode_picker.currentText() == "Chat"
    assert window.controller.access().mode is Mode.CHAT


def test_choosing_the_mode_already_on_does_nothing(window: ChatWindow) -> None:
    pick(window, Mode.CHAT)
    assert folder_dialogs(window) == []


def test_the_folder_button_asks_again_with_the_same_dialog(window: ChatWindow) -> None:
    pick(window, Mode.AGENT)
    (first,) = folder_dialogs(window)
    first.reject()
    window.chips.folder_button.click()
    assert folder_dialogs(window) == [first]
    first.reject()


@pytest.mark.asyncio
async def test_a_chosen_folder_goes_to_the_controller(
    window: ChatWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[ToolAccess] = []
    monkeypatch.setattr(window.controller, "set_access", asked.append)
    window.use_folder("")  # the dialog gave nothing: nothing to do
    assert asked == []
    window.agent_mode.use_folder(str(tmp_path))
    assert asked == [ToolAccess(Mode.AGENT, str(tmp_path))]  # set_access, run by the controller


def test_plan_asks_for_a_folder_from_chat_and_keeps_the_mode_when_the_folder_changes(
    window: ChatWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[ToolAccess] = []
    monkeypatch.setattr(window.controller, "set_access", asked.append)
    pick(window, Mode.PLAN)
    (dialog,) = folder_dialogs(window)
    dialog.fileSelected.emit(str(tmp_path))  # the folder is chosen
    assert asked == [ToolAccess(Mode.PLAN, str(tmp_path))]
    monkeypatch.setattr(window.controller, "access", lambda: ToolAccess(Mode.PLAN, str(tmp_path)))
    window.agent_mode.use_folder(str(tmp_path / "sub"))  # another folder, from the folder button
    pick(window, Mode.AUTOPILOT)  # a folder already: no dialog
    assert asked[1:] == [
        ToolAccess(Mode.PLAN, str(tmp_path / "sub")),
        ToolAccess(Mode.AUTOPILOT, str(tmp_path)),
    ]
    dialog.reject()
