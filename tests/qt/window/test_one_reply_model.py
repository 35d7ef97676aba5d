"""One model of the reply: the window, the store, the share page and the Markdown export agree.

The events go in where a Copilot session's hub delivers them (the window's ``LiveConversation``), so
everything after that is the app's real path: the view's presenter, the recorder, the live share feed
and server, the exporter reading the store.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.markdown_format import export_markdown
from desktop_app.core.storage.models import Role, Status
from desktop_app.core.storage.recorder import TurnRecorder
from desktop_app.core.vocabulary.events import (
    ChatEvent,
    Idle,
    MessageCompleted,
    TextDelta,
    ToolCompleted,
    ToolStarted,
)
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window


def share_snapshot(url: str) -> dict[str, Any]:
    """What a browser that opens the link now is sent first (read on a thread of its own)."""
    result: dict[str, Any] = {}

    async def read() -> None:
        async with aiohttp.ClientSession() as session:
            ws_url = url.replace("http://", "ws://", 1).rstrip("/") + "/ws"
            async with session.ws_connect(ws_url) as ws:
                while True:
                    message = await asyncio.wait_for(ws.receive(), 10)
                    data = json.loads(message.data)
                    if data.get("type") == "snapshot":
                        result.update(data)
                        return

    thread = threading.Thread(target=lambda: asyncio.run(read()))
    thread.start()
    thread.join(20)
    return result


class QtTimer:
    """The recorder's batching timer on the Qt loop (the app runs it on qasync's)."""

    def __init__(self, delay: float, callback: Callable[[], None]) -> None:
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(callback)
        self.timer.start(int(delay * 1000))

    def cancel(self) -> None:
        self.timer.stop()


class Conversation:
    """A window with a saved conversation being recorded and shared, fed a session's events."""

    def __init__(self, qtbot: QtBot, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.window: ChatWindow = offline_window(qtbot, tmp_path)
        self.controller = self.window.controller
        store = self.controller.store
        assert store is not None
        self.store = store
        self.id = store.create_conversation(model="m").id
        self.recorder = TurnRecorder(store, self.id, schedule=QtTimer)
        self.controller.live.changes.subscribe(self.recorder)
        self.url = self.window.live_share.start()

    def prompt(self, text: str) -> None:
        self.controller.live.user_sent(text)
        self.controller.live.begin_reply()

    def feed(self, *events: ChatEvent) -> None:
        for event in events:
            self.controller.live(event)

    def view_text(self) -> str:
        return self.window.view.toPlainText()

    def snapshot_text(self) -> str:
        self.qtbot.wait(50)
        snapshot = share_snapshot(self.url)
        assert snapshot, "the share page sent no snapshot"
        return json.dumps(snapshot)

    def markdown(self) -> str:
        return export_markdown(load_conversations(self.store, [self.id]))

    def replies(self) -> list[str]:
        return [m.content for m in self.store.messages(self.id) if m.role is Role.ASSISTANT]

    def close(self) -> None:
        self.window.live_share.stop()


def test_a_final_text_that_differs_from_the_stream_is_what_everyone_shows(
    qtbot: QtBot, tmp_path: Path
) -> None:
    chat = Conversation(qtbot, tmp_path)
    try:
        chat.prompt("What is six times seven?")
        chat.feed(
            TextDelta("m1", "Let me "),
            TextDelta("m1", "check DRAFTONE."),
            MessageCompleted("m1", "Let me check with a tool.", None, True),  # the final text differs
            ToolStarted("call_1", "bash", {"command": "echo 42"}, "Running", "echo 42"),
            ToolCompleted("call_1", True, "42", ""),
            TextDelta("m2", "It is "),
            TextDelta("m2", "DRAFTTWO"),
            MessageCompleted("m2", "It is 42.", None, False),
            Idle(aborted=False),
        )
        final = "Let me check with a tool.\n\nIt is 42."
        assert chat.replies() == [final]
        assert chat.store.messages(chat.id)[-1].status is Status.COMPLETE
        view, page, markdown = chat.view_text(), chat.snapshot_text(), chat.markdown()
        for shown in (view, page, markdown):
            assert "Let me check with a tool." in shown and "It is 42." in shown
            assert "DRAFTONE" not in shown and "DRAFTTWO" not in shown
        # The tool call sits between the two messages, in the window and in the export.
        assert view.index("Let me check with a tool.") < view.index("bash: echo 42") < view.index("It is 42.")
        assert markdown.index("with a tool.") < markdown.index("echo 42") < markdown.index("It is 42.")
    finally:
        chat.close()


def test_a_tool_call_id_used_again_is_two_calls_everywhere(qtbot: QtBot, tmp_path: Path) -> None:
    chat = Conversation(qtbot, tmp_path)
    try:
        chat.prompt("What day is it?")
        chat.feed(
            ToolStarted("call_1", "bash", {"command": "date"}, "Running", "date"),
            ToolCompleted("call_1", True, "Monday", ""),
            TextDelta("a", "It is Monday."),
            MessageCompleted("a", "It is Monday.", None, False),
            Idle(aborted=False),
        )
        chat.prompt("Who am I?")
        chat.feed(
            ToolStarted("call_1", "bash", {"command": "whoami"}, "Running", "whoami"),  # numbered afresh
            ToolCompleted("call_1", True, "me", ""),
            TextDelta("b", "You are me."),
            MessageCompleted("b", "You are me.", None, False),
            Idle(aborted=False),
        )
        panel = [(c.id, c.command, c.result) for c in chat.controller.tools.calls]
        assert panel == [("call_1", "date", "Monday"), ("call_1#2", "whoami", "me")]
        assert chat.window.tool_panel.model.rowCount() == 2
        saved = [(s.call.id, s.call.command, s.call.result) for s in chat.store.tool_calls(chat.id)]
        assert saved == panel
        first, second = (m.id for m in chat.store.messages(chat.id) if m.role is Role.ASSISTANT)
        assert [s.message_id for s in chat.store.tool_calls(chat.id)] == [first, second]
        view, markdown = chat.view_text(), chat.markdown()
        assert view.count("bash: date") == 1 and view.count("bash: whoami") == 1
        assert view.index("bash: date") < view.index("It is Monday.") < view.index("bash: whoami")
        assert markdown.index("date") < markdown.index("It is Monday.") < markdown.index("whoami")
        assert chat.replies() == ["It is Monday.", "You are me."]
        page = chat.snapshot_text()
        assert "It is Monday." in page and "You are me." in page
    finally:
        chat.close()
