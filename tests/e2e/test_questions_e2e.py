"""The agent's questions, end to end: the real CLI's ``ask_user`` tool asks, the card shows the
question; Stop cancels a waiting question; an MCP server's form (an elicitation) goes on the card too."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import endpoint_args, start_asking
from tests.e2e.test_tools_e2e import agent_window, tool_prompt, wait_for_card, write_mcp_config
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio
COLOUR = {"question": "Which colour?", "choices": ["Red", "Blue"]}


def tool_results(server: ModelServer) -> list[str]:
    """The tool results the model was sent, in every request so far."""
    return [
        json.dumps(message.get("content"))
        for request in server.chat_requests()
        for message in request["body"]["messages"]
        if message.get("role") == "tool"
    ]


async def test_a_choice_clicked_on_the_card_reaches_the_model_as_the_tools_result(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        card = window.question_card
        finished = await start_asking(qtbot, window, tool_prompt("ask_user", COLOUR))
        await wait_until(lambda: card.current is not None, timeout=60)
        assert card.isVisible() and card.question.text() == "Which colour?"
        assert [b.text() for b in card.choice_buttons] == ["Red", "Blue"]
        assert QApplication.focusWidget() is card  # the question, never an answer
        await asyncio.sleep(0.3)
        assert not finished.done()  # the agent waits for the answer
        qtbot.mouseClick(card.choice_buttons[1], Qt.MouseButton.LeftButton)
        await finished
        assert card.isHidden()
        assert any("Blue" in result for result in tool_results(model_server))
        call = window.controller.tools.calls[-1]
        assert call.name == "ask_user" and "Blue" in call.result


async def test_stopping_the_reply_cancels_a_waiting_question(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        card = window.question_card
        finished = await start_asking(qtbot, window, tool_prompt("ask_user", COLOUR))
        await wait_until(lambda: card.current is not None, timeout=60)
        qtbot.keyClick(window.composer, Qt.Key.Key_Escape)  # Esc in the composer stops the reply
        await finished
        await wait_until(lambda: card.isHidden())
        session = window.controller.session
        assert session is not None and not session.questions.pending
        assert not window.controller.busy

        # Closing the window while a question waits cancels it too (the CLI is not left waiting).
        await start_asking(qtbot, window, tool_prompt("ask_user", COLOUR))
        await wait_until(lambda: card.current is not None, timeout=60)
        assert session.questions.pending
        window.close()
        await wait_until(lambda: not session.questions.pending)


async def test_a_typed_answer_and_a_cancelled_question_reach_the_model(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        card = window.question_card
        finished = await start_asking(qtbot, window, tool_prompt("ask_user", {"question": "Your name?"}))
        await wait_until(lambda: card.current is not None, timeout=60)
        assert card.free_text.isVisible() and card.choices.isHidden()
        qtbot.keyClicks(card.free_text, "Zed")
        qtbot.keyClick(card.free_text, Qt.Key.Key_Return)  # Enter sends
        await finished
        assert "Zed" in tool_results(model_server)[-1]

        finished = await start_asking(qtbot, window, tool_prompt("ask_user", COLOUR))
        await wait_until(lambda: card.current is not None, timeout=60)
        qtbot.mouseClick(card.cancel, Qt.MouseButton.LeftButton)
        await finished
        assert "The user cancelled the question." in tool_results(model_server)[-1]
        assert QApplication.focusWidget() is window.composer


ASK_SERVER = Path(__file__).parent.parent / "fixtures" / "mcp_ask_server.py"


async def test_an_mcp_servers_form_is_asked_field_by_field_and_its_answers_reach_the_server(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    write_mcp_config(data_dir, {"asker": {"command": sys.executable, "args": [str(ASK_SERVER)]}})
    async with agent_window(qtbot, model_server, data_dir, tmp_path) as window:
        card = window.question_card
        finished = await start_asking(qtbot, window, tool_prompt("asker-pick", {}))
        await wait_for_card(window)  # the server's tool asks first, as any tool does
        window.permission_card.allow_once.click()
        await wait_until(lambda: card.current is not None, timeout=60)
        assert card.question.text().startswith("Pick a colour for the <b>logo</b>")  # plain text
        assert card.title.text() == "MCP server 'asker' asks:"
        assert [b.text() for b in card.choice_buttons] == ["Red", "Blue"]
        qtbot.mouseClick(card.choice_buttons[1], Qt.MouseButton.LeftButton)
        await wait_until(lambda: card.current is not None and "sure" in card.question.text(), timeout=10)
        assert [b.text() for b in card.choice_buttons] == ["Yes", "No"]
        qtbot.mouseClick(card.choice_buttons[0], Qt.MouseButton.LeftButton)
        await finished
        assert "picked Blue sure=True" in tool_results(model_server)[-1]

        finished = await start_asking(qtbot, window, tool_prompt("asker-pick", {}))
        await wait_for_card(window)
        window.permission_card.allow_once.click()
        await wait_until(lambda: card.current is not None, timeout=60)
        qtbot.mouseClick(card.cancel, Qt.MouseButton.LeftButton)
        await finished
        assert "no pick: cancel" in tool_results(model_server)[-1]
