"""One running app per user and data dir: a second launch hands its request over and exits.

Two processes on one data dir would fight over the conversation database and the CLI's session
files, so ``main()`` first offers its request (e.g. "open this conversation") to a running
instance over a local socket; only when nobody answers does it become the instance and listen.

Protocol: the client connects, sends one JSON object on one line, and the server replies
``{"ok": true}`` on one line and closes. Anything else is ignored. The socket and its lock live in
a folder only this user can write to, and each side refuses a peer that runs as another user
(``core.local_socket``).
"""

from __future__ import annotations

import json
import logging
import time
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QLockFile, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from desktop_app.core.platform import local_socket

log = logging.getLogger(__name__)

MAX_MESSAGE = 64 * 1024  # a request names a conversation or a folder; anything bigger is not ours
READ_TIMEOUT_MS = 5000  # a client that connects and says nothing is dropped after this
PROBE_TIMEOUT_MS = 500
LOCK_TIMEOUT_MS = 3000  # another launch holds the lock only while it probes and listens
_ACK = b'{"ok": true}\n'


def server_name(data_dir: Path) -> str:
    """The socket for this user and data dir: a full path in the user's runtime dir or the data dir
    (a pipe name on Windows); stable across runs, and per data dir so that ``--data-dir`` runs
    (tests, a second profile) are instances of their own."""
    return local_socket.socket_path(data_dir)


def lock_path(name: str) -> str:
    """The lock beside the socket (in the temp dir only for a Windows pipe name, which has no file)."""
    return f"{name}.lock" if Path(name).is_absolute() else str(Path(QDir.tempPath(), f"{name}.lock"))


def _same_user(socket: QLocalSocket) -> bool:
    """Whether the process on the other end of a connected socket runs as this user."""
    return local_socket.is_same_user(int(socket.socketDescriptor()))


def hand_over(name: str, message: dict[str, Any], timeout_ms: int = 1500) -> bool:
    """Give ``message`` to the running instance; True once it acknowledged it.

    False when nobody is listening (the caller then becomes the instance) or the instance did not
    acknowledge in time. Synchronous, for ``main()`` before any event loop runs; every wait is
    bounded by ``timeout_ms`` in total, so a hung instance cannot hang the launch.
    Raises ValueError over MAX_MESSAGE (TypeError if not JSON-serialisable): a caller's bug.
    """
    line = json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"
    if len(line) > MAX_MESSAGE:
        raise ValueError(f"hand-over message is {len(line)} bytes, over the {MAX_MESSAGE} limit")
    deadline = time.monotonic() + timeout_ms / 1000

    def remaining() -> int:
        return max(0, int((deadline - time.monotonic()) * 1000))

    socket = QLocalSocket()
    try:
        socket.connectToServer(name)
        if not socket.waitForConnected(timeout_ms):
            return False
        if not _same_user(socket):
            log.warning("The instance socket %s belongs to another user: not handing over", name)
            return False
        socket.write(line)
        while socket.bytesToWrite() > 0:
            if not socket.waitForBytesWritten(remaining()) and socket.bytesToWrite() > 0:
                return False
        reply = b""
        while b"\n" not in reply:
            if socket.bytesAvailable() == 0 and not socket.waitForReadyRead(remaining()):
                return False
            reply += socket.readAll().data()
            if len(reply) > MAX_MESSAGE:
                return False
        try:
            answer = json.loads(reply.split(b"\n", 1)[0].decode("utf-8"))
        except ValueError:
            return False
        return isinstance(answer, dict) and answer.get("ok") is True
    finally:
        socket.abort()  # now, not at interpreter exit, when Qt's event dispatcher may be gone


class _Probe(Enum):
    LIVE = "live"  # a server answers (or may: a timeout, someone else's socket): never touch it
    ABSENT = "absent"
    STALE = "stale"  # a socket file nobody listens on: an instance that crashed or was killed


def _probe(name: str) -> _Probe:
    """Whether a live server accepts connections on ``name``; a stale socket file refuses them."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    try:
        if socket.waitForConnected(PROBE_TIMEOUT_MS):
            return _Probe.LIVE
        error = socket.error()
        if error is QLocalSocket.LocalSocketError.ConnectionRefusedError:
            return _Probe.STALE
        if error is QLocalSocket.LocalSocketError.ServerNotFoundError:
            return _Probe.ABSENT
        return _Probe.LIVE
    finally:
        socket.abort()


class InstanceServer(QObject):
    """Listens for later launches and emits each one's request as a dict."""

    request = Signal(dict)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        # Only this user may connect: another user must not open windows in our session.
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def listen(self, name: str) -> bool:
        """Become the instance for ``name``; False if a live instance already has it.

        Asks before listening, because listening would not fail on a live name: with socket options
        Qt binds elsewhere and renames over the name (and Windows lets two servers share a pipe).
        A short lock file makes ask-then-listen atomic between two launches racing each other. A
        crashed instance's socket file (nobody answers on it) is removed and the name taken over.
        """
        lock = QLockFile(lock_path(name))
        if not lock.tryLock(LOCK_TIMEOUT_MS):
            log.info("Cannot lock %s: %s", name, lock.error())
            return False
        try:
            probe = _probe(name)
            if probe is _Probe.LIVE:
                return False
            if probe is _Probe.STALE:
                log.info("Taking over %s, left behind by an instance that ended without closing it", name)
                QLocalServer.removeServer(name)
            if self._server.listen(name):
                return True
            log.info("Cannot listen on %s: %s", name, self._server.errorString())
            return False
        finally:
            lock.unlock()

    def close(self) -> None:
        """Stop listening (removing the socket file) and drop any half-read connections."""
        self._server.close()
        for socket in list(self._buffers):
            self._drop(socket)

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            if not _same_user(socket):
                log.warning("Refused a hand-over connection from another user")
                socket.abort()
                socket.deleteLater()
                continue
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))
            QTimer.singleShot(READ_TIMEOUT_MS, socket, lambda s=socket: self._time_out(s))
            if socket.bytesAvailable():  # data may have arrived with the connection
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        data = self._buffers[socket] + socket.read(MAX_MESSAGE + 1).data()
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE:
                log.info("Ignored a hand-over request over %d bytes", MAX_MESSAGE)
                self._drop(socket)
            else:
                self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers.pop(socket)  # one request per connection: the rest is not read
        message = self._parse(line)
        if message is None:
            self._drop(socket)
            return
        if socket.state() is QLocalSocket.LocalSocketState.ConnectedState:  # the client may have left
            socket.write(_ACK)
            socket.flush()
            socket.disconnectFromServer()  # after the ack is written
        self.request.emit(message)

    @staticmethod
    def _parse(line: bytes) -> dict[str, Any] | None:
        if len(line) > MAX_MESSAGE:
            log.info("Ignored a hand-over request over %d bytes", MAX_MESSAGE)
            return None
        try:
            message = json.loads(line.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            log.info("Ignored a malformed hand-over request: %s", exc)
            return None
        if not isinstance(message, dict):
            log.info("Ignored a hand-over request that is not a JSON object")
            return None
        return message

    def _time_out(self, socket: QLocalSocket) -> None:
        if socket in self._buffers:
            log.info("Dropped a hand-over connection that sent no request")
            self._drop(socket)

    def _drop(self, socket: QLocalSocket) -> None:
        """Forget a connection; a probe that connects and leaves ends here too, silently."""
        self._buffers.pop(socket, None)
        if socket.state() is not QLocalSocket.LocalSocketState.UnconnectedState:
            socket.abort()
        socket.deleteLater()
