"""Single instance: a later launch's request reaches the running one; stale sockets are taken over,
and bad input or a silent client never stops the serving."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.ui.platform import single_instance
from desktop_app.ui.platform.single_instance import MAX_MESSAGE, InstanceServer, hand_over
from tests.qt.platform.single_instance_helpers import ROOT, hand_over_from_child, run_python, socket_file

LOGGER = "desktop_app.ui.platform.single_instance"


def test_a_request_arrives_with_its_payload_and_the_client_is_acknowledged(
    qtbot: QtBot, server: InstanceServer, name: str
) -> None:
    assert server.listen(name)
    assert server.listening
    received: list[object] = []
    server.request.connect(received.append)
    first = {"open": "conversation-1", "args": ["--demo", "ünïcode ✓"], "nested": {"n": 1}}
    second: dict[str, Any] = {}
    assert hand_over_from_child(qtbot, name, first, second) == ["True", "True"]
    assert received == [first, second]
    assert hand_over_from_child(qtbot, name, {"open": None}) == ["True"]  # and it keeps serving
    assert received[-1] == {"open": None}


def test_with_no_server_hand_over_says_so_quickly(name: str) -> None:
    started = time.monotonic()
    assert hand_over(name, {"open": None}) is False
    assert time.monotonic() - started < 0.5


def test_a_message_too_big_to_send_is_a_caller_error(name: str) -> None:
    with pytest.raises(ValueError, match="limit"):
        hand_over(name, {"text": "x" * MAX_MESSAGE})


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no file behind")
def test_a_stale_socket_from_a_killed_instance_is_taken_over(
    qtbot: QtBot, server: InstanceServer, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    crashed = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from PySide6.QtCore import QCoreApplication\n"
            "from desktop_app.ui.platform.single_instance import InstanceServer\n"
            "app = QCoreApplication([])\n"  # the server's socket notifier needs an event dispatcher
            "server = InstanceServer()\n"
            "print(server.listen(sys.argv[1]), flush=True)\n"
            "time.sleep(60)\n",
            name,
        ],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert crashed.stdout is not None
        assert crashed.stdout.readline().strip() == "True"
    finally:
        os.kill(crashed.pid, signal.SIGKILL)
        _, err = crashed.communicate()
    assert err == ""
    assert socket_file(name).exists()  # left behind: nobody removed it

    started = time.monotonic()
    assert hand_over(name, {"open": None}) is False  # refused at once, not a timeout
    assert time.monotonic() - started < 0.5

    caplog.set_level(logging.INFO, logger=LOGGER)
    assert server.listen(name)
    assert "Taking over" in caplog.text
    received: list[object] = []
    server.request.connect(received.append)
    assert hand_over_from_child(qtbot, name, {"open": "c"}) == ["True"]
    assert received == [{"open": "c"}]


def test_a_live_instance_keeps_its_name(qtbot: QtBot, server: InstanceServer, name: str) -> None:
    assert server.listen(name)
    received: list[object] = []
    server.request.connect(received.append)
    second = InstanceServer()
    try:
        assert not second.listen(name)
        assert not second.listening
        stolen: list[object] = []
        second.request.connect(stolen.append)
        assert hand_over_from_child(qtbot, name, {"open": "x"}) == ["True"]
        assert received == [{"open": "x"}]
        assert stolen == []
        # Once the first instance closes, the name is free for the next one.
        server.close()
        assert not server.listening
        assert hand_over(name, {}) is False
        assert second.listen(name)
        assert hand_over_from_child(qtbot, name, {"open": "y"}) == ["True"]
        assert stolen == [{"open": "y"}]
    finally:
        second.close()


RAW_CLIENT = """
    import json, sys
    from PySide6.QtNetwork import QLocalSocket

    def send(data):
        socket = QLocalSocket()
        socket.connectToServer(sys.argv[1])
        assert socket.waitForConnected(2000)
        socket.write(data)
        socket.waitForBytesWritten(2000)
        # The server closes without answering: no reply, and the wait ends well before its timeout.
        replied = socket.waitForReadyRead(3000) and socket.bytesAvailable() > 0
        reply = socket.readAll().data().decode()
        socket.abort()
        return reply if replied else None

    payloads = [
        b"not json\\n",
        b"[1, 2]\\n",
        b'"just a string"\\n',
        b"\\xff\\xfe{}\\n",
        b"[" * 50000 + b"\\n",  # deeper than json can go, within the size limit
        b"x" * (int(sys.argv[2]) + 10),
        b'{"a": "' + b"y" * int(sys.argv[2]) + b'"}\\n',
        b'{"ok": 1}\\n{"second": "line ignored"}\\n',
    ]
    print(json.dumps([send(data) for data in payloads]))
"""


def test_malformed_and_oversized_input_is_ignored_and_serving_goes_on(
    qtbot: QtBot, server: InstanceServer, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    assert server.listen(name)
    received: list[object] = []
    server.request.connect(received.append)
    out, err = run_python(qtbot, RAW_CLIENT, name, str(MAX_MESSAGE))
    assert err == ""
    replies = json.loads(out)
    assert replies == [None] * 7 + ['{"ok": true}\n']  # only the well-formed first line is answered
    assert received == [{"ok": 1}]
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert sum("malformed" in m for m in messages) == 3  # not JSON, not UTF-8, too deep
    assert sum("not a JSON object" in m for m in messages) == 2
    assert sum(f"over {MAX_MESSAGE} bytes" in m for m in messages) == 2
    assert hand_over_from_child(qtbot, name, {"open": "after"}) == ["True"]
    assert received == [{"ok": 1}, {"open": "after"}]


def test_a_silent_connection_is_dropped(
    qtbot: QtBot,
    server: InstanceServer,
    name: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(single_instance, "READ_TIMEOUT_MS", 200)
    caplog.set_level(logging.INFO, logger=LOGGER)
    assert server.listen(name)
    code = """
        import sys, time
        from PySide6.QtNetwork import QLocalSocket
        socket = QLocalSocket()
        socket.connectToServer(sys.argv[1])
        assert socket.waitForConnected(2000)
        socket.write(b'{"open": ')  # half a request, then silence
        socket.waitForBytesWritten(2000)
        started = time.monotonic()
        while socket.state() == QLocalSocket.LocalSocketState.ConnectedState:
            if time.monotonic() - started > 5:
                break
            socket.waitForReadyRead(100)
        print(socket.state() == QLocalSocket.LocalSocketState.UnconnectedState)
    """
    out, err = run_python(qtbot, code, name)
    assert (out.strip(), err) == ("True", "")
    assert "sent no request" in caplog.text


def test_close_stops_listening_and_removes_the_socket(server: InstanceServer, name: str) -> None:
    assert server.listen(name)
    server.close()
    assert not server.listening
    if sys.platform != "win32":
        assert not socket_file(name).exists()
    assert hand_over(name, {}) is False
