"""Queue and steer: a prompt sent while a reply streams waits as a chip and goes after the reply;
**Send now** on the chip sends it into the running turn instead (``mode="immediate"``).

Real CLI, real SDK, scripted model. The first prompt streams a slow sentence, calls a tool and then
answers from its result, so the model's requests tell where the second prompt went: after the whole
reply (a request of its own, behind the tool's answer) or into the turn (the same request as the
tool's result, before the model answers it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Role
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import endpoint_args, start_asking
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio

FIRST = "PREAMBLE SLOW TOOL current_time {}"


def roles(request: dict[str, Any]) -> list[str]:
    return [m["role"] for m in request["body"]["messages"] if m["role"] != "system"]


def last_user(request: dict[str, Any]) -> str:
    users = [m for m in request["body"]["messages"] if m["role"] == "user"]
    content = users[-1]["content"]
    return content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)


async def type_while_it_streams(qtbot: QtBot, window: ChatWindow, prompt: str) -> None:
    await wait_until(lambda: "Let me " in window.view.streamed_text, timeout=60)
    qtbot.keyClicks(window.composer, prompt)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert window.controller.pending.texts() == [prompt]
    assert window.pending_bar.labels() == [f"◷ Sends when this reply ends: {prompt}"]


def saved(window: ChatWindow) -> list[tuple[str, str]]:
    store, conversation = window.controller.store, window.controller.conversation
    assert store is not None and conversation is not None
    return [(m.role.value, m.content) for m in store.messages(conversation.id)]


async def test_a_prompt_sent_during_a_stream_reaches_the_model_after_the_reply(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        await start_asking(qtbot, window, FIRST)
        await type_while_it_streams(qtbot, window, "ECHO_HISTORY queued")
        await wait_until(lambda: "History: " in window.view.toPlainText(), timeout=90)
        await wait_until(lambda: not window.controller.busy, timeout=30)
        requests = model_server.chat_requests()
        # The whole first reply (the tool call, then the answer from its result), then the prompt.
        assert [roles(r)[-1] for r in requests] == ["user", "tool", "user"]
        assert "TOOL_RESULT" in str(requests[2]["body"]["messages"][-2]["content"])
        assert last_user(requests[2]).endswith("ECHO_HISTORY queued")
        assert not window.controller.pending and not window.pending_bar.isVisible()
        assert [role for role, _ in saved(window)] == ["user", "assistant", "user", "assistant"]


async def test_send_now_steers_the_running_turn(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        finished = await start_asking(qtbot, window, FIRST)
        await type_while_it_streams(qtbot, window, "ECHO_HISTORY steered")
        buttons = window.pending_bar.send_now_buttons()
        assert [b.text() for b in buttons] == ["Send now"]
        qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
        assert not window.controller.pending
        # On its way until the CLI reads it (after the tool runs): shown, and kept in the draft.
        assert window.pending_bar.labels() == ["↪ Sent into this reply: ECHO_HISTORY steered"]
        assert window.pending_bar.send_now_buttons() == []
        assert window.controller.draft() == "ECHO_HISTORY steered"
        await finished  # one turn: the steer went into it, not after it
        await wait_until(lambda: "History: " in window.view.toPlainText(), timeout=30)
        requests = model_server.chat_requests()
        # The tool's result and the steering prompt went to the model together, in the same turn:
        # the model never answered the tool alone.
        assert len(requests) == 2
        assert roles(requests[1])[-2:] == ["tool", "user"]
        assert last_user(requests[1]).endswith("ECHO_HISTORY steered")
        assert "TOOL_RESULT" not in window.view.toPlainText()
        # In the conversation, shown and saved as the user's message between the two replies.
        messages = saved(window)
        assert [role for role, _ in messages] == ["user", "assistant", "user", "assistant"]
        assert messages[2] == (Role.USER.value, "ECHO_HISTORY steered")
        assert messages[3][1].startswith("History: ") and "ECHO_HISTORY steered" in messages[3][1]
        text = window.view.toPlainText()
        assert text.index("with a tool.") < text.index("ECHO_HISTORY steered") < text.index("History: ")
        assert window.controller.draft() == ""  # taken: no longer kept in the draft
        assert not window.pending_bar.isVisible()


async def test_send_now_before_the_new_conversations_session_is_up_goes_into_its_first_turn(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        finished = await start_asking(qtbot, window, FIRST)
        qtbot.keyClicks(window.composer, "ECHO_HISTORY at once")
        qtbot.keyClick(window.composer, Qt.Key.Key_Return)
        buttons = window.pending_bar.send_now_buttons()
        assert len(buttons) == 1  # a reply is under way, even before its session is open
        qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
        await finished
        await wait_until(lambda: "History: " in window.view.toPlainText(), timeout=30)
        requests = model_server.chat_requests()
        assert any(last_user(r).endswith("ECHO_HISTORY at once") for r in requests)
        messages = saved(window)
        assert [m for m in messages if m[0] == "user"] == [("user", FIRST), ("user", "ECHO_HISTORY at once")]
        assert messages[-1][1].startswith("History: ")
        assert not window.controller.pending and window.controller.draft() == ""
        # The CLI reads it before its first model call, or (on a loaded machine, when that call has
        # begun) at a later one. Either way the prompt is shown once, above the reply that answers it.
        # (Loaded, the view can show that reply in two parts where the store keeps one message.)
        text = window.view.toPlainText()
        assert text.count("ECHO_HISTORY at once") == 2  # the prompt, and the model's echo of it
        prompt, answer = text.index("ECHO_HISTORY at once"), text.index("History: ")
        assert prompt < answer and "scripted-model" in text[prompt:answer]  # its reply, labelled, under it
        assert "TOOL_RESULT" not in messages[-1][1] or "TOOL_RESULT" in text


async def test_a_steer_a_stop_drops_waits_again_and_is_not_lost(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        finished = await start_asking(qtbot, window, FIRST)
        await type_while_it_streams(qtbot, window, "ECHO_HISTORY after the stop")
        qtbot.mouseClick(window.pending_bar.send_now_buttons()[0], Qt.MouseButton.LeftButton)
        await wait_until(lambda: bool(window.controller.live.steering), timeout=5)
        window.controller.stop()  # before the tool runs: the CLI drops what it has not read
        await finished
        # Back among the waiting prompts, then sent as a prompt of its own once the reply is over.
        await wait_until(lambda: "History: " in window.view.toPlainText(), timeout=60)
        await wait_until(lambda: not window.controller.busy, timeout=30)
        users = [text for role, text in saved(window) if role == "user"]
        assert users == [FIRST, "ECHO_HISTORY after the stop"]
        assert last_user(model_server.chat_requests()[-1]).endswith("ECHO_HISTORY after the stop")
        assert not window.controller.pending and window.controller.draft() == ""
        text = window.view.toPlainText()
        if "Stopped." in text:  # on a loaded machine the reply can end before the stop lands
            assert text.index("Stopped.") < text.index("ECHO_HISTORY after the stop")  # after the stop
        assert text.count("ECHO_HISTORY after the stop") >= 1
