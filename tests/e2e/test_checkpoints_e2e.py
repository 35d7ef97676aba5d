"""Restore checkpoint in Agent mode, with the real CLI and the scripted model in a temporary folder:
the question names each file, Restore puts the files back byte for byte and the conversation back
to just before the prompt (what followed kept as a version), and the model's history follows."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Role
from desktop_app.ui.conversation.actions.restore_dialog import RESTORE
from tests.conftest import wait_signal, wait_until
from tests.e2e.test_chat_e2e import ask, start_asking
from tests.e2e.test_tools_e2e import agent_window, tool_prompt, wait_for_card
from tests.e2e.test_versions_e2e import prompt_id, users_seen
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio


async def test_restore_checkpoint_puts_the_files_and_the_conversation_back(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with agent_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        notes = tmp_path / "notes.txt"
        original = "first line\r\nsecond line, no newline at the end"
        finished = await start_asking(
            qtbot, window, tool_prompt("create", {"path": str(notes), "file_text": original})
        )
        await wait_for_card(window)
        window.permission_card.allow_always.click()
        await finished
        edit = tool_prompt("edit", {"path": str(notes), "old_str": "first line", "new_str": "changed"})
        await ask(qtbot, window, edit)
        extra = tmp_path / "extra.txt"
        await ask(qtbot, window, tool_prompt("create", {"path": str(extra), "file_text": "more\n"}))
        assert "changed" in notes.read_text() and extra.exists()
        before = notes.read_bytes()

        view = window.view
        index = view.row_index(prompt_id(window, edit))
        menu = view.message_actions.menu(index, view.rows[index], view)
        offered = asyncio.ensure_future(wait_signal(window.controller.versions.restore_offered, 30))
        await asyncio.sleep(0)
        next(a for a in menu.actions() if a.text() == "Restore checkpoint").trigger()
        _mid, preview = await offered
        assert {(Path(f.path).name, f.change) for f in preview.files} == {
            ("notes.txt", "modified"),
            ("extra.txt", "created"),
        }
        box = window.edits.restore_box
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert "notes.txt: put back" in box.text() and "extra.txt: deleted" in box.text()
        restored = asyncio.ensure_future(wait_signal(window.controller.versions.restored, 30))
        await asyncio.sleep(0)
        next(b for b in box.buttons() if b.text() == RESTORE).click()
        await restored

        assert notes.read_bytes() != before
        assert notes.read_bytes() == original.encode()  # byte for byte, CRLF and all
        assert not extra.exists()
        store, cid = window.controller.store, window.controller.conversation.id  # type: ignore[union-attr]
        assert store is not None
        assert [m.role for m in store.messages(cid)] == [Role.USER, Role.ASSISTANT]
        assert window.composer.toPlainText() == edit  # to send again, or change
        assert "Restored the checkpoint" in window.banner.label.text()
        place = window.controller.versions.places()
        assert place == {}  # the kept tail's version hangs at a seq with no live message yet

        window.composer.clear()
        await ask(qtbot, window, "ECHO_HISTORY after the restore")
        seen = users_seen(model_server.chat_requests()[-1])
        assert not any("changed" in s or "extra.txt" in s for s in seen)
        assert seen[-1] == "ECHO_HISTORY after the restore"
        await wait_until(lambda: bool(window.controller.versions.places()), timeout=10)
