"""The CLI's ``HTTPS_PROXY``: a loopback CONNECT proxy that only ever tunnels to the scripted server.

A ``CONNECT host:443`` for a host the scripted GitHub answers for is piped to its local TLS port; any
other request (another host or port, a plain-HTTP proxy request, garbage) is answered 403 and closed,
and recorded in ``refused``. Nothing is ever forwarded to the internet: the only upstream this module
opens is 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Collection

MAX_HEADER_LINES = 100


class ConnectProxy:
    """Start with ``await start()`` on the scripted GitHub's loop; ``url`` is the proxy's address."""

    def __init__(self, allowed_hosts: Collection[str], tls_port: int) -> None:
        self._allowed = {host.lower() for host in allowed_hosts}
        self._tls_port = tls_port
        self._server: asyncio.Server | None = None
        self._lock = threading.Lock()
        self._tunnelled: list[str] = []
        self._refused: list[str] = []
        self._open: set[asyncio.StreamWriter] = set()  # closed on close(): no tunnel outlives the proxy
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tunnelled(self) -> list[str]:
        """Every ``host:port`` a tunnel was opened to, in order."""
        with self._lock:
            return list(self._tunnelled)

    @property
    def refused(self) -> list[str]:
        """Every request line refused (a host not served here, a plain request), in order."""
        with self._lock:
            return list(self._refused)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        for writer in list(self._open):
            writer.close()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    def allows(self, target: str) -> bool:
        host, _, port = target.rpartition(":")
        return port == "443" and host.lower() in self._allowed

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open.add(writer)
        upstream: asyncio.StreamWriter | None = None
        try:
            request_line = (await reader.readline()).decode("latin-1").strip()
            for _ in range(MAX_HEADER_LINES):
                if (await reader.readline()) in (b"\r\n", b"\n", b""):
                    break
            method, _, rest = request_line.partition(" ")
            target = rest.partition(" ")[0]
            if method.upper() != "CONNECT" or not self.allows(target):
                with self._lock:
                    self._refused.append(request_line)
                writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                await writer.drain()
                return
            with self._lock:
                self._tunnelled.append(target)
            upstream_reader, upstream = await asyncio.open_connection("127.0.0.1", self._tls_port)
            self._open.add(upstream)
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            await asyncio.gather(_pipe(reader, upstream), _pipe(upstream_reader, writer))
        except (OSError, UnicodeError, asyncio.IncompleteReadError):
            pass
        finally:
            for end in (writer, upstream):
                if end is not None:
                    end.close()
                    self._open.discard(end)


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    except OSError:
        pass
    finally:
        sink.close()
