"""A reply that writes a long file through the real CLI: its code block grows in place while it
streams (no whole re-render per tick) and ends as the full render shows it, Copy included."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.ui.conversation.view.open_code import OpenCodeBlock
from desktop_app.ui.conversation.view.streaming_reply import StreamingReply
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import endpoint_args, start_asking
from tests.model_server import ModelServer, code_file_reply

pytestmark = pytest.mark.asyncio


async def test_a_long_code_block_grows_in_place_and_ends_whole(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    model_server.chunk_delay = 0.004
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        finished = await start_asking(qtbot, window, "CODEFILE 90")
        grown: list[str] = []
        while not finished.done():  # watch the reply as a person would, tick by tick
            reply = window.view._reply
            if isinstance(reply, StreamingReply) and isinstance(reply._growing, OpenCodeBlock):
                grown.append(reply.document.toPlainText())
            await asyncio.sleep(0.05)
        await finished
        assert len(grown) >= 3, "the code block never grew in place"
        assert all("def step_" in text and "```" not in text for text in grown)
        assert len({len(text) for text in grown}) > 1  # it grew while watched
        text = window.view.toPlainText()
        assert "def step_89(value: int) -> int:" in text and "Each step is pure." in text
        assert "```" not in text
        code = code_file_reply(90).split("```python\n", 1)[1].split("\n```", 1)[0]
        assert code in window.view._renderer.code_snippets.values()  # the block's Copy copies it all
