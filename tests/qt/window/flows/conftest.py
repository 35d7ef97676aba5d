"""The window the flows' tests drive: offline, with two saved conversations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[ChatWindow]:
    chat = offline_window(qtbot, tmp_path, ("Alpha plans", "Beta notes"))
    yield chat
    chat.controller.cancel_work()  # what the flows started is the controller's business, not these tests'
