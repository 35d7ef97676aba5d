"""Inline diffs and the Changes summary, end to end: the real CLI edits a file in a temporary folder
(Agent mode) once the user allows it; the diff shows under the call, in the turn's Changes summary,
in the tool panel, and again after a restart. Only the model is scripted."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.tool_calls import ToolStatus
from desktop_app.ui.conversation.view.rows import RowKind
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import endpoint_args, start_asking
from tests.e2e.test_tools_e2e import tool_prompt, use_agent_mode, wait_for_card
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio


def link_named(window: ChatWindow, text: str) -> str:
    """The href of the link reading ``text`` in the last reply (as the user sees and clicks it)."""
    view = window.view
    index = max(i for i, row in enumerate(view.rows) if row.kind is RowKind.REPLY)
    block = view.document_for(index, keep=True).begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if text in fragment.text() and fragment.charFormat().anchorHref():
                return str(fragment.charFormat().anchorHref())
            it += 1
        block = block.next()
    raise AssertionError(f"no link {text!r}")


def assert_diff_shown(window: ChatWindow, path: Path) -> None:
    text = window.view.toPlainText().replace("\xa0", " ")
    assert f"Edited {path} +2 −1" in text  # inline, under the call's marker
    assert "− two" in text and "+ TWO" in text and "+ 2" in text
    assert "Changes (1 file)" in text and text.index("⚙ edit") < text.index("Changes (1 file)")
    # The summary's file opens its full diff in the tool panel.
    [call] = window.controller.tools.calls
    href = link_named(window, str(path))
    assert href == f"tool:{call.id}"
    window.view.open_link(QUrl(href))
    assert window.tool_panel.selected is call
    details = window.tool_panel.details.toPlainText().replace("\xa0", " ")
    assert "Diff" in details and "+ TWO" in details and "− two" in details


async def test_an_approved_edit_shows_its_diff_inline_and_in_the_changes_summary(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    data_dir, work = tmp_path / "data", tmp_path / "work"
    work.mkdir()
    target = work / "notes.py"
    target.write_text("one = 1\ntwo\nthree = 3\n", encoding="utf-8")
    async with running_app(*endpoint_args(model_server, data_dir)) as window:
        qtbot.addWidget(window)
        await use_agent_mode(window, work)
        edit = {"path": str(target), "old_str": "two", "new_str": "TWO\n2"}
        finished = await start_asking(qtbot, window, tool_prompt("edit", edit))
        await wait_for_card(window)
        assert "Edited" not in window.view.toPlainText()  # nothing changed yet: no diff
        window.permission_card.allow_once.click()
        await finished
        assert target.read_text(encoding="utf-8") == "one = 1\nTWO\n2\nthree = 3\n"
        [call] = window.controller.tools.calls
        assert call.status is ToolStatus.DONE and call.files == (str(target),)
        await wait_until(lambda: "Changes (1 file)" in window.view.toPlainText())
        assert_diff_shown(window, target)
        conversation = window.controller.conversation
        assert conversation is not None

    # Saved: the same diff and summary after a restart, from the stored call's arguments.
    async with running_app(*endpoint_args(model_server, data_dir)) as window:
        qtbot.addWidget(window)
        window.open_conversation(conversation.id)
        await wait_until(lambda: window.tool_panel.model.rowCount() == 1)
        await wait_until(lambda: "Changes (1 file)" in window.view.toPlainText())
        assert_diff_shown(window, target)
