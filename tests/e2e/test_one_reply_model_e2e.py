"""The real CLI, a model that numbers its tool calls afresh: one model of each reply.

Within one Copilot session the CLI gives a reused id a fresh one; a conversation continued in a new
session (its old one gone) meets the model's own numbering again. The window's panel and transcript,
the store, the share page and the Markdown export must agree: two calls, each in its own reply, each
with its own result, though the model gave both the same id.
"""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.tool_calls import ToolStatus
from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.markdown_format import export_markdown
from desktop_app.core.storage.models import Role
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask, endpoint_args
from tests.e2e.test_share_e2e import next_json, ws_url
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio

REPLY = "Let me check that with a tool.\n\nTOOL_RESULT: {}"


def calculate(expression: str) -> str:
    return f"PREAMBLE CALLID=calc_1 TOOL calculate {json.dumps({'expression': expression})}"


async def share_snapshot(url: str) -> str:
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(ws_url(url), headers={"Origin": url.split("/s/")[0]}) as ws,
    ):
        return json.dumps(await next_json(ws, "snapshot"))


async def test_a_reused_tool_call_id_is_two_calls_in_the_window_the_store_the_page_and_the_export(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        window.toggle_share()
        url = window.live_share.url
        await ask(qtbot, window, calculate("25 * 4 + 10"))
        store, first = window.controller.store, window.controller.conversation
        assert store is not None and first is not None
        # Its Copilot session is gone (as when the CLI's session files were deleted): the next
        # prompt continues it in a new one.
        window.new_conversation()
        await wait_until(lambda: window.controller.conversation is None)
        store.update_conversation(first.id, session_id=None)
        window.open_conversation(first.id)
        await wait_until(lambda: window.tool_panel.model.rowCount() == 1)
        await ask(qtbot, window, calculate("2 * 3"))
        ids = [r["body"]["messages"][-1].get("tool_call_id") for r in model_server.chat_requests()]
        assert ids.count("calc_1") == 2  # the model really did use the id twice

        calls = window.controller.tools.calls
        assert [(c.id, c.status, c.result) for c in calls] == [
            ("calc_1", ToolStatus.DONE, "110"),
            ("calc_1#2", ToolStatus.DONE, "6"),
        ]
        assert window.tool_panel.model.rowCount() == 2
        text = window.view.toPlainText()
        assert text.count("⚙ calculate") == 2
        assert text.index("TOOL_RESULT: 110") < text.rindex("⚙ calculate") < text.index("TOOL_RESULT: 6")

        conversation = window.controller.conversation
        assert conversation is not None and conversation.id == first.id
        replies = [m for m in store.messages(conversation.id) if m.role is Role.ASSISTANT]
        assert [m.content for m in replies] == [REPLY.format(110), REPLY.format(6)]
        saved = store.tool_calls(conversation.id)
        assert [(s.call.id, s.call.result, s.message_id) for s in saved] == [
            ("calc_1", "110", replies[0].id),
            ("calc_1#2", "6", replies[1].id),
        ]

        markdown = export_markdown(load_conversations(store, [conversation.id]))
        second_call = markdown.rindex('"expression": "2 * 3"')  # in its call's details
        assert markdown.index("25 * 4 + 10") < markdown.index("TOOL_RESULT: 110") < second_call
        assert second_call < markdown.index("TOOL_RESULT: 6")

        page = await share_snapshot(url)
        assert page.count("Let me check that with a tool.") == 2
        assert page.index("TOOL_RESULT: 110") < page.index("TOOL_RESULT: 6")
        window.share_bar.stop_button.click()
