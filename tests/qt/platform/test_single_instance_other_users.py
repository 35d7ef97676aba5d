"""Single instance: another user can neither hand a request over nor receive one (peer uid, file mode).

The tests that need a real other user (``nobody``) run only as root.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
import tempfile
import textwrap
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.platform import local_socket
from desktop_app.ui.platform.single_instance import InstanceServer, hand_over
from tests.qt.platform.single_instance_helpers import hand_over_from_child, socket_file, unix_only


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


def test_only_this_user_may_connect(server: InstanceServer, name: str) -> None:
    if sys.platform == "win32":
        pytest.skip("named pipes have ACLs, not file modes")
    assert server.listen(name)
    assert socket_file(name).stat().st_mode & 0o077 == 0
