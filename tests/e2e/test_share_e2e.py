"""Sharing a window live: a viewer sees the conversation so far, then the reply as it streams."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.core.share.network import lan_addresses
from desktop_app.core.share.viewers import CLOSE_LAN_ENDED
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask, endpoint_args, start_asking
from tests.model_server import ModelServer
from tests.share.stalled_viewer import stalled_viewer

pytestmark = pytest.mark.asyncio


def ws_url(url: str) -> str:
    return url.replace("http://", "ws://", 1).rstrip("/") + "/ws"


async def next_json(ws: aiohttp.ClientWebSocketResponse, kind: str, timeout: float = 30) -> dict[str, Any]:
    """The next message of this type (others are skipped)."""
    while True:
        message = await asyncio.wait_for(ws.receive(), timeout)
        assert message.type == aiohttp.WSMsgType.TEXT, message
        data: dict[str, Any] = json.loads(message.data)
        if data.get("type") == kind:
            return data


async def test_a_viewer_sees_the_conversation_and_the_reply_stream_in(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "Before sharing")
        window.toggle_share()
        url = window.live_share.url
        assert url.startswith("http://127.0.0.1:") and window.share_bar.isVisible()
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as page:
                assert page.status == 200
            async with http.ws_connect(ws_url(url), headers={"Origin": url.split("/s/")[0]}) as ws:
                snapshot = await next_json(ws, "snapshot")
                assert "Before sharing" in json.dumps(snapshot)
                await wait_until(lambda: "1 viewer" in window.share_bar.viewers.text(), timeout=10)
                finished = await start_asking(qtbot, window, "MARKDOWN <script>alert(1)</script>")
                done = None
                while done is None:
                    reply = await next_json(ws, "reply")
                    if reply.get("done"):
                        done = reply
                await finished
                assert "<h1" in done["html"] and "Scripted heading" in done["html"]
                assert "<script>" not in json.dumps(snapshot) + done["html"]
                window.share_bar.stop_button.click()
                closed = await asyncio.wait_for(ws.receive(), 10)
                assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert not window.share_bar.isVisible() and window.live_share.url == ""


def launch_sharing(server: ModelServer, data_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "desktop_app", "--share", *endpoint_args(server, data_dir)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


async def test_share_at_launch_prints_the_link(model_server: ModelServer, tmp_path: Path) -> None:
    app = launch_sharing(model_server, tmp_path)
    try:
        assert app.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(app.stdout.readline), 60)
        assert line.startswith("Sharing live: http://127.0.0.1:")
        url = line.split(": ", 1)[1].strip()
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as page:
                assert page.status == 200
            wrong = url[: url.rindex("/") + 1] + "not-the-token"
            async with http.get(wrong) as refused:
                assert refused.status in (403, 404)
    finally:
        app.send_signal(signal.SIGTERM)
        await asyncio.to_thread(app.wait, 60)
        if app.stdout is not None:
            app.stdout.close()


async def test_lan_sharing_is_on_only_after_the_warning_and_off_cuts_other_devices(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    network = lan_addresses()
    if not network:
        pytest.skip("this machine has no network address besides loopback")
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        window.toggle_share()
        server = window.live_share.server
        assert server is not None and server.addresses == [("127.0.0.1", server.port)]
        bar = window.share_bar
        bar.lan_box.click()
        await wait_until(lambda: bar.asking)
        assert server.addresses == [("127.0.0.1", server.port)]  # nothing opened while the user reads
        assert bar.warning is not None
        agree = next(
            b for b in bar.warning.buttons() if bar.warning.buttonRole(b) is QMessageBox.ButtonRole.AcceptRole
        )
        agree.click()
        await wait_until(lambda: bar.lan_box.isChecked())
        assert server.addresses == [("0.0.0.0", server.port)]
        lan_url = f"http://{network[0]}:{server.port}{server.path}"
        assert bar.shown_url == lan_url and lan_url in bar.link.full_text
        async with aiohttp.ClientSession() as http:
            async with http.get(lan_url) as page:
                assert page.status == 200
            async with http.ws_connect(ws_url(lan_url), headers={"Origin": lan_url.split("/s/")[0]}) as ws:
                await next_json(ws, "snapshot")
                await wait_until(lambda: "1 viewer" in bar.viewers.text(), timeout=10)
                bar.lan_box.click()  # off at once, no question asked
                closed = await asyncio.wait_for(ws.receive(), 10)
                assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == CLOSE_LAN_ENDED
        assert server.addresses == [("127.0.0.1", server.port)] and not bar.lan_box.isChecked()
        assert window.live_share.url == bar.shown_url  # still sharing on this machine
        bar.lan_box.click()
        await wait_until(lambda: bar.asking)
        assert bar.warning is not None
        next(
            b for b in bar.warning.buttons() if bar.warning.buttonRole(b) is QMessageBox.ButtonRole.AcceptRole
        ).click()
        await wait_until(lambda: bar.lan_box.isChecked())
        window.share_bar.stop_button.click()
        window.toggle_share()  # a new share starts on this machine only, whatever the last one did
        again = window.live_share.server
        assert again is not None and again.addresses == [("127.0.0.1", again.port)]
        assert not bar.lan_box.isChecked() and bar.shown_url == window.live_share.url
        window.share_bar.stop_button.click()


async def test_a_viewer_that_stops_reading_does_not_stall_the_window(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    word = "x" * 1000  # 300 chunks of it: a 300 KB reply, re-sent whole to viewers as it grows
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        window.toggle_share()
        server = window.live_share.server
        assert server is not None
        with stalled_viewer(server.port, server.path):
            async with aiohttp.ClientSession() as http:
                url = window.live_share.url
                async with http.ws_connect(ws_url(url), max_msg_size=0) as ws:
                    await next_json(ws, "snapshot")
                    await wait_until(lambda: server.viewer_count == 2, timeout=10)
                    for _ in range(8):  # more than the socket buffers between them hold
                        server.add_notice("y" * 1_000_000)
                        await next_json(ws, "message")
                    stuck = False
                    finished = await start_asking(qtbot, window, f"STREAM 300 TAG={word}")
                    done = None
                    while done is None:
                        # Stuck in a send, or already cut off for falling behind.
                        stuck = stuck or server.viewer_count < 2 or any(v.backed_up for v in server._viewers)
                        reply = await next_json(ws, "reply", timeout=60)
                        if reply.get("done"):
                            done = reply
                    await finished
        # The stalled viewer's buffers filled (its sends were stuck, or it was cut off for falling
        # behind), yet the window streamed the whole reply and the other viewer got all of it.
        assert stuck
        assert f"{word}299" in window.view.toPlainText()
        assert f"{word}299" in done["html"] and f"{word}0" in done["html"]
        window.share_bar.stop_button.click()
