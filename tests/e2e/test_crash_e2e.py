"""Kill the app with SIGKILL mid-reply: the next start shows what had arrived, with a Regenerate."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Role, Status
from tests.conftest import wait_signal, wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import endpoint_args
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio
REPO = Path(__file__).resolve().parents[2]


def reply_text(db_path: Path) -> tuple[str, str] | None:
    if not db_path.exists():
        return None
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'messages'").fetchone():
            return None  # the app is still creating the schema
        row = db.execute(
            "SELECT content, status FROM messages WHERE role = 'assistant' ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
    return None if row is None else (row[0], row[1])


async def test_sigkill_mid_stream_loses_at_most_the_last_moment(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    args = endpoint_args(model_server, tmp_path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(  # noqa: ASYNC220 - started, not waited on, here
        [sys.executable, "-m", "tests.e2e.app_child", "SLOW 150", *args],
        env=env,
        cwd=REPO,
        start_new_session=True,  # its own process group: the CLI dies with it, as in a real crash
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    db_path = tmp_path / "data" / "conversations.sqlite3"
    try:
        deadline = time.monotonic() + 90
        while True:
            saved = reply_text(db_path)
            if saved and saved[0].count("w") >= 30:
                break
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
            assert time.monotonic() < deadline, "the reply never reached the database"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        killed_at = time.monotonic()
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        if child.stderr:
            child.stderr.close()

    saved = reply_text(db_path)
    assert saved is not None
    content, status = saved
    assert status == "streaming"  # it was cut off: the next start will say so
    sent_before = "".join(text for at, text in model_server.sent if at <= killed_at - 0.3)
    assert content.startswith(sent_before.strip()), (
        "everything sent more than 300 ms before the kill is saved"
    )
    lost = [text for at, text in model_server.sent if at <= killed_at and text.strip() not in content]
    assert len(lost) <= 6, f"lost {len(lost)} chunks (60 ms apart)"

    async with running_app(*args) as window:
        qtbot.addWidget(window)
        await wait_until(lambda: window.controller.conversation is not None, timeout=30)
        assert window.banner.button("Regenerate") is not None
        assert "cut off" in window.view.toPlainText()
        assert content.split()[-2] in window.view.toPlainText()
        conversation = window.controller.conversation
        assert conversation is not None
        store = window.controller.store
        assert store is not None
        messages = store.messages(conversation.id)
        assert messages[-1].role is Role.ASSISTANT and messages[-1].status is Status.INTERRUPTED
        await wait_until(lambda: window.send_button.isEnabled(), timeout=30)
        finished = asyncio.ensure_future(wait_signal(window.controller.reply_finished, 60))
        await asyncio.sleep(0)
        regenerate = window.banner.button("Regenerate")
        assert regenerate is not None
        regenerate.click()
        await finished
        messages = store.messages(conversation.id)
        last = messages[-1]
        assert last.status is Status.COMPLETE and last.content.strip().endswith("w149")
        # Asked again in place of the cut-off reply: the prompt once, and the banner gone.
        assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]
        await wait_until(lambda: not window.banner.isVisible(), timeout=10)
