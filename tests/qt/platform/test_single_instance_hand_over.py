"""Single instance: a later launch's request reaches the running one; stale sockets are taken over.

``hand_over`` blocks, and the server answers from this thread's event loop, so every client that talks
to a server here runs in a child process while ``qtbot`` pumps the events.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer
from pytestqt.qtbot import QtBot

from desktop_app.core.platform import local_socket
from desktop_app.ui.platform import single_instance
from desktop_app.ui.platform.single_instance import MAX_MESSAGE, InstanceServer, hand_over, server_name

ROOT = Path(__file__).resolve().parents[3]
LOGGER = "desktop_app.ui.platform.single_instance"


def run_python(qtbot: QtBot, code: str, *args: str, timeout_ms: int = 30_000) -> tuple[str, str]:
    """Run ``code`` in a child Python while this thread's event loop keeps serving; (stdout, stderr)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=timeout_ms)
    finally:
        if proc.poll() is None:
            proc.kill()
        out, err = proc.communicate()
    assert proc.returncode == 0, err
    return out, err


HAND_OVER = """
    import json, sys
    from desktop_app.ui.platform.single_instance import hand_over
    for message in json.loads(sys.argv[2]):
        print(hand_over(sys.argv[1], message))
"""


def hand_over_from_child(qtbot: QtBot, name: str, *messages: dict[str, Any]) -> list[str]:
    out, err = run_python(qtbot, HAND_OVER, name, json.dumps(messages))
    assert err == ""  # no Qt warnings in the client either
    return out.split()


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A folder with a short path: pytest's own can be too long for a socket path inside it."""
    folder = Path(tempfile.mkdtemp(prefix="cd-", dir="/tmp" if os.path.isdir("/tmp") else None))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def name(tmp_path: Path) -> Iterator[str]:
    """A name of this test's own; a socket file a failed test left behind is removed afterwards."""
    name = server_name(tmp_path / "data")
    yield name
    QLocalServer.removeServer(name)


@pytest.fixture
def server(qtbot: QtBot, name: str) -> Iterator[InstanceServer]:
    server = InstanceServer()  # closed before ``name`` cleans up, as it depends on it
    yield server
    server.close()


def socket_file(name: str) -> Path:
    return Path(QDir.tempPath(), name)


def test_server_name_is_stable_and_per_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    name = server_name(tmp_path / "data")
    assert server_name(tmp_path / "data" / "sub" / "..") == name  # the resolved dir counts
    assert server_name(tmp_path / "other") != name
    if sys.platform == "win32":
        assert re.fullmatch(r"copilot-desktop-[0-9a-f]{12}-[A-Za-z0-9_.-]+", name)
    else:
        assert len(os.fsencode(name)) <= local_socket.MAX_SOCKET_PATH


unix_only = pytest.mark.skipif(sys.platform == "win32", reason="a named pipe is not a file")


@unix_only
def test_the_socket_and_its_lock_live_in_the_runtime_dir(
    qtbot: QtBot, short_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path = short_tmp
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    name = server_name(tmp_path / "data")
    assert Path(name).parent == runtime
    assert single_instance.lock_path(name) == f"{name}.lock"
    server = InstanceServer()
    try:
        assert server.listen(name)
        assert [p.name for p in runtime.iterdir()] == [Path(name).name]  # the lock is gone again
        assert Path(name).is_socket()
        received: list[object] = []
        server.request.connect(received.append)
        assert hand_over_from_child(qtbot, name, {"open": "r"}) == ["True"]
        assert received == [{"open": "r"}]
    finally:
        server.close()


@unix_only
def test_without_a_runtime_dir_the_socket_is_in_the_data_dir(
    short_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path = short_tmp
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    name = server_name(tmp_path / "data")
    assert Path(name).parent == tmp_path / "data"
    assert not name.startswith(tempfile.gettempdir() + "/copilot")


@unix_only
@pytest.mark.parametrize("kind", ["shared", "symlink", "relative"])
def test_a_runtime_dir_others_can_write_to_is_not_used(
    short_tmp: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    tmp_path = short_tmp
    runtime = tmp_path / "run"
    runtime.mkdir()
    if kind == "shared":
        runtime.chmod(0o1777)  # like /tmp
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    elif kind == "symlink":
        runtime.chmod(0o700)
        (tmp_path / "link").symlink_to(runtime)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "link"))
    else:
        monkeypatch.setenv("XDG_RUNTIME_DIR", "run")
    assert Path(server_name(tmp_path / "data")).parent == tmp_path / "data"


@unix_only
def test_a_data_dir_too_deep_for_a_socket_path_uses_a_private_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    deep = tmp_path / ("d" * 100)
    name = server_name(deep)
    folder = Path(name).parent
    assert folder == tmp_path / f"copilot-desktop-{os.getuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700


@unix_only
@pytest.mark.expected_warnings
def test_a_temp_folder_someone_else_made_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    taken = tmp_path / f"copilot-desktop-{os.getuid()}"
    taken.mkdir(mode=0o755)  # loosened, or made first by another user
    name = server_name(tmp_path / ("d" * 100))
    folder = Path(name).parent
    assert folder != taken and folder.parent == tmp_path
    assert folder.stat().st_mode & 0o777 == 0o700
    assert "is not a private folder" in caplog.text


@unix_only
def test_peer_uid_reads_the_kernels_answer() -> None:
    left, right = socket.socketpair()
    try:
        assert local_socket.peer_uid(left.fileno()) == os.getuid()
        assert local_socket.is_same_user(left.fileno())
        left.send(b"x")  # the descriptor is still open and usable afterwards
        assert right.recv(1) == b"x"
    finally:
        left.close()
        right.close()


@unix_only
@pytest.mark.expected_warnings
def test_a_peer_of_another_user_is_refused(
    qtbot: QtBot,
    server: InstanceServer,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert server.listen(name)
    received: list[object] = []
    server.request.connect(received.append)
    # From here on the server takes itself for another user: the client's uid is no longer its own.
    monkeypatch.setattr(local_socket, "own_uid", lambda: os.getuid() + 1)
    assert hand_over_from_child(qtbot, name, {"open": "intruder"}) == ["False"]
    assert received == []
    assert "Refused a hand-over connection from another user" in caplog.text


def _as_nobody(code: str, *args: str) -> int:
    """A forked child running ``code`` as user ``nobody`` (the socket's other end, for real); its pid.

    Forked rather than spawned: ``nobody`` may not be able to run this interpreter from where it is.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork() with Qt's threads running
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            exec(textwrap.dedent(code), {"argv": list(args)})
        finally:
            os._exit(0)
    return pid


def _end(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to become another user"
)


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder every user can reach and write to (pytest's own tmp folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="shared-test-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + 10
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


PLANTED_SERVER = """
    import socket
    from pathlib import Path
    shared = Path(argv[0])
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(shared / "planted.sock"))
    listener.listen(4)
    (shared / "listening").touch()
    while True:
        conn, _ = listener.accept()
        if conn.recv(1024):
            (shared / "received").touch()
        conn.close()
"""


@needs_root
@pytest.mark.expected_warnings
def test_a_socket_planted_by_another_user_gets_no_request(
    shared: Path, caplog: pytest.LogCaptureFixture
) -> None:
    planted = _as_nobody(PLANTED_SERVER, str(shared))
    try:
        _wait_for(shared / "listening")
        assert hand_over(str(shared / "planted.sock"), {"open": "secret"}) is False
        assert "belongs to another user" in caplog.text
        time.sleep(0.1)
        assert not (shared / "received").exists()  # not a byte was sent
    finally:
        _end(planted)


OTHER_CLIENT = """
    import socket
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(argv[0])
        client.recv(1)
"""


@needs_root
def test_the_peer_uid_of_another_users_process(shared: Path) -> None:
    path = shared / "mine.sock"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        path.chmod(0o777)
        listener.listen(1)
        client = _as_nobody(OTHER_CLIENT, str(path))
        try:
            conn, _ = listener.accept()
            with conn:
                assert local_socket.peer_uid(conn.fileno()) == 65534
                assert not local_socket.is_same_user(conn.fileno())
        finally:
            _end(client)


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


def test_only_this_user_may_connect(server: InstanceServer, name: str) -> None:
    if sys.platform == "win32":
        pytest.skip("named pipes have ACLs, not file modes")
    assert server.listen(name)
    assert socket_file(name).stat().st_mode & 0o077 == 0


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
