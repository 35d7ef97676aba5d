"""Slash commands end to end: typed in the composer, run by the real CLI through the real SDK
(``session.commands.invoke``), answered as a notice in the conversation; none of them reaches the
scripted model as a prompt, and an unknown one is only named."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.slash_commands import find
from desktop_app.ui.conversation.view.rows import RowKind
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_signal, wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask, endpoint_args
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio


async def command(qtbot: QtBot, window: ChatWindow, text: str, timeout: float = 60) -> list[str]:
    """Type ``text``, press Enter and wait for it to run; the notices since, in the conversation."""
    before = len(notices(window))
    ran = wait_signal(window.slash.commands.ran, timeout)
    qtbot.keyClicks(window.composer, text)
    qtbot.keyClick(window.composer, Qt.Key.Key_Escape)  # the list closed: Enter sends what is typed
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    await ran
    return notices(window)[before:]


def notices(window: ChatWindow) -> list[str]:
    return [row.text for row in window.view.rows if row.kind is RowKind.NOTICE]


def saved_roles(window: ChatWindow) -> list[str]:
    store, conversation = window.controller.store, window.controller.conversation
    assert store is not None and conversation is not None
    return [m.role.value for m in store.messages(conversation.id)]


async def test_usage_and_compact_run_in_the_cli_and_an_unknown_command_goes_nowhere(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        await ask(qtbot, window, "hello there")
        await wait_until(lambda: window.slash.commands.listed, timeout=10)  # the CLI's own list
        usage_listed = find(window.slash.commands.catalogue, "usage")
        assert usage_listed is not None
        assert usage_listed.description == "Display session usage metrics and statistics"
        requests = len(model_server.chat_requests())

        [usage] = await command(qtbot, window, "/usage")
        assert usage.startswith("Session Usage") and "Tokens:" in usage

        qtbot.keyClicks(window.composer, "/nosuch do something")
        qtbot.keyClick(window.composer, Qt.Key.Key_Return)
        assert notices(window)[-1].startswith("Unknown command /nosuch")
        assert window.composer.toPlainText() == ""

        assert len(model_server.chat_requests()) == requests  # neither reached the model
        assert saved_roles(window) == ["user", "assistant"]  # nor the conversation

        said = await command(qtbot, window, "/compact", timeout=90)
        assert any(text.startswith("Compacted conversation history") for text in said), said
        # The CLI summarised with a model call of its own; no prompt "/compact" went to the model.
        assert all(
            "/compact" not in str(m.get("content"))
            for r in model_server.chat_requests()
            for m in r["body"]["messages"]
            if m["role"] == "user"
        )
        # The CLI's compaction events leave their own (saved) notice; no prompt, no reply.
        assert saved_roles(window) == ["user", "assistant", "notice"]
