"""Nothing typed is lost: a prompt sent before the window can take it waits, visibly, and goes.

Real CLI, real SDK, scripted model: the prompt is typed and sent the instant the window appears
(the CLI still starting), and again while the CLI is being restarted after a SIGKILL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import wait_until
from tests.e2e.conftest import running_app, running_desktop
from tests.e2e.test_chat_e2e import ask, endpoint_args, kill_cli, start_asking
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio


async def test_a_prompt_sent_the_instant_the_window_appears_is_answered(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir), wait_ready=False) as window:
        qtbot.addWidget(window)
        window.show()
        assert window.controller.phase.value == "starting"
        qtbot.keyClicks(window.composer, "typed at launch")
        qtbot.keyClick(window.composer, Qt.Key.Key_Return)
        assert window.composer.toPlainText() == ""
        assert window.pending_bar.labels() == ["◷ Sends when Copilot is ready: typed at launch"]
        await wait_until(lambda: "You said: typed at launch" in window.view.toPlainText(), timeout=90)
        await wait_until(lambda: not window.controller.busy, timeout=30)
        assert not window.controller.pending
        assert not window.pending_bar.isVisible()
        assert window.view.toPlainText().count("typed at launch") == 2  # the prompt once, the echo once


@pytest.mark.expected_warnings  # the CLI's death is logged as a warning
async def test_a_prompt_sent_while_the_cli_dies_and_restarts_is_answered(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_desktop(*endpoint_args(model_server, shared_data_dir)) as desktop:
        window = desktop.windows[0]
        qtbot.addWidget(window)
        await ask(qtbot, window, "My name is Ada")
        cut_off = await start_asking(qtbot, window, "SLOW 400", 60)
        await wait_until(lambda: "w3 " in window.view.streamed_text, timeout=30)
        kill_cli()
        # Typed at once, while the app has yet to notice the crash and restart the CLI.
        qtbot.keyClicks(window.composer, "ECHO_HISTORY")
        qtbot.keyClick(window.composer, Qt.Key.Key_Return)
        assert window.controller.pending.texts() == ["ECHO_HISTORY"]
        assert window.pending_bar.labels() == ["◷ Sends when this reply ends: ECHO_HISTORY"]
        await cut_off
        assert "stopped unexpectedly" in window.view.toPlainText()
        await wait_until(lambda: "History: My name is Ada" in window.view.toPlainText(), timeout=90)
        await wait_until(lambda: not window.controller.busy, timeout=30)
        assert desktop.service.restarts >= 1
        assert not window.controller.pending
