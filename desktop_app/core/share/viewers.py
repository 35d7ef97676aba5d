"""The browsers watching a share: each with its own queue and sender, at most ``MAX_VIEWERS`` of them.

Each viewer has its own queue and its own sender task: a viewer that reads slowly (or not at all)
falls behind alone, and never holds up the window or the other viewers. Its queue coalesces reply
updates, so a slow viewer gets fewer, newer ones; one that falls too far behind, or stalls a send,
is disconnected (its page reconnects and gets a fresh snapshot).

Every viewer costs the server thread a queue, a sender task and a copy of each update; an unguessable
link can still be forwarded widely, so a share takes at most ``MAX_VIEWERS``. The one over the limit
is accepted as a WebSocket and closed at once with ``CLOSE_FULL`` and a reason the page shows (a
refused HTTP upgrade would reach the page only as "connection failed"); the page tries again later.

Everything here runs on the share server's thread; only ``count`` is read from others.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
from collections import deque
from collections.abc import Iterator
from typing import Any

from aiohttp import WSMsgType, web

from desktop_app.core.share.network import is_loopback
from desktop_app.core.vocabulary.event_hub import EventHub

log = logging.getLogger(__name__)

MAX_VIEWERS = 32
DEFAULT_LIMIT = 100  # messages a viewer may be behind (after coalescing) before it is disconnected
SEND_TIMEOUT = 5.0  # a viewer that takes longer than this to take one message is disconnected
CLOSE_TIMEOUT = 1.0  # how long a close handshake may take before the connection is cut

# Close codes the page knows (page.js): the first two stop it reconnecting, the third slows it down.
CLOSE_STOPPED = 4000  # sharing has ended
CLOSE_LAN_ENDED = 4001  # sharing goes on, but no longer to this device
CLOSE_FULL = 4002  # the page shows the reason and retries slowly
STOPPED_REASON = b"Sharing stopped"
LAN_ENDED_REASON = b"LAN sharing ended"


def full_reason(limit: int) -> bytes:
    """The close reason (at most 123 bytes, as a WebSocket close frame allows)."""
    return f"This share already has {limit} viewers, its limit. Trying again shortly.".encode()


class Kind(enum.Enum):
    SNAPSHOT = "snapshot"  # the whole page: whatever was queued before it is moot
    MESSAGE = "message"  # a user message, notice or title: must be delivered in order
    PARTIAL = "partial"  # the streaming reply so far: a newer one makes it moot
    FINAL = "final"  # the completed reply: supersedes a queued partial one


class ViewerQueue:
    """A bounded FIFO of serialised messages with coalescing by kind; used on one event loop."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._items: deque[tuple[Kind, str]] = deque()

    def __len__(self) -> int:
        return len(self._items)

    def put(self, kind: Kind, data: str) -> bool:
        """Queue ``data``; False when the viewer is over the limit even after coalescing."""
        if kind is Kind.SNAPSHOT:
            self._items.clear()
        elif kind in (Kind.PARTIAL, Kind.FINAL) and self._items and self._items[-1][0] is Kind.PARTIAL:
            # A reply is always the last thing queued while it streams: the newer state replaces it.
            self._items.pop()
        self._items.append((kind, data))
        return len(self._items) <= self.limit

    def pop(self) -> str | None:
        return self._items.popleft()[1] if self._items else None

    def clear(self) -> None:
        self._items.clear()


class Viewer:
    """One browser's connection: its socket, its queue, and the one task that writes to it."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        transport: asyncio.BaseTransport | None,
        limit: int,
        remote: str | None = None,
    ) -> None:
        self.ws = ws
        self.transport = transport
        self.remote = remote  # the peer's address: LAN viewers are cut when LAN sharing ends
        self.queue = ViewerQueue(limit)
        self.wakeup = asyncio.Event()
        self.closing = False  # being closed for good: its handler waits for that instead of cancelling
        self.task: asyncio.Task[None] | None = None  # the sender, then the closer

    @property
    def backed_up(self) -> bool:
        """Sent data is waiting on the peer: a close frame would wait behind it."""
        return self.transport is None or self.transport.get_write_buffer_size() > 0  # type: ignore[attr-defined]

    def abort(self) -> None:
        """Cut the connection without a handshake; the page reconnects and gets a fresh snapshot."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.abort()  # type: ignore[attr-defined]


class Viewers:
    """The viewers watching (iterable); ``changed`` tells their count, from the server thread.

    Subscribers of ``changed`` are called on the server thread: they marshal the count to their own
    thread (a queued Qt signal, ``loop.call_soon_threadsafe``) and do not block.
    """

    def __init__(
        self,
        *,
        send_timeout: float = SEND_TIMEOUT,
        queue_limit: int = DEFAULT_LIMIT,
        max_viewers: int = MAX_VIEWERS,
    ) -> None:
        self.changed: EventHub[int] = EventHub("share viewers")
        self.count = 0  # as last told through ``changed``; read from any thread
        self.max_viewers = max_viewers
        self._send_timeout = send_timeout
        self._queue_limit = queue_limit
        self._viewers: set[Viewer] = set()

    def __len__(self) -> int:
        return len(self._viewers)

    def __iter__(self) -> Iterator[Viewer]:
        return iter(list(self._viewers))

    @property
    def full(self) -> bool:
        return len(self._viewers) >= self.max_viewers

    def join(self, request: web.Request, ws: web.WebSocketResponse, snapshot: str) -> Viewer:
        """A new viewer, sent ``snapshot`` first; call ``watch`` next (no await in between)."""
        viewer = Viewer(ws, request.transport, self._queue_limit, request.remote)
        viewer.queue.put(Kind.SNAPSHOT, snapshot)
        self._viewers.add(viewer)
        viewer.task = asyncio.create_task(self._send_loop(viewer))
        self._count_changed()
        return viewer

    async def watch(self, viewer: Viewer) -> None:
        """Read the viewer's socket until it closes (a share is read-only: what it sends is ignored)."""
        try:
            async for message in viewer.ws:
                if message.type is WSMsgType.ERROR:
                    break  # e.g. over the size limit: aiohttp has closed it with 1009
        finally:
            self.forget(viewer)
            task = viewer.task
            assert task is not None
            if not viewer.closing:
                task.cancel()
            await asyncio.wait({task})
            closer = viewer.task
            if closer is not None and closer is not task:  # closed for good: the sender became the closer
                await asyncio.wait({closer})

    def broadcast(self, kind: Kind, payload: dict[str, Any]) -> None:
        """Queue ``payload`` for every viewer; one too far behind is disconnected."""
        if not self._viewers:
            return
        data = json.dumps(payload, ensure_ascii=False)  # serialised once for every viewer
        for viewer in list(self._viewers):
            if viewer.queue.put(kind, data):
                viewer.wakeup.set()
            else:
                log.info("A share viewer fell %d messages behind: disconnected", len(viewer.queue))
                self._drop(viewer)
                if viewer.task is not None:
                    viewer.task.cancel()

    def forget(self, viewer: Viewer) -> None:
        if viewer in self._viewers:
            self._viewers.discard(viewer)
            self._count_changed()

    async def close_all(self) -> None:
        """Sharing stops: close every viewer for good (code 4000); the count drops to 0 at once."""
        viewers = list(self._viewers)
        self._viewers.clear()
        self._count_changed()
        closers = [self._close(viewer, CLOSE_STOPPED, STOPPED_REASON) for viewer in viewers]
        if closers:
            await asyncio.wait(closers)

    def close_remote(self) -> None:
        """LAN sharing ended: close the viewers on other devices (code 4001); this machine's stay."""
        for viewer in [v for v in self._viewers if not is_loopback(v.remote)]:
            self.forget(viewer)
            self._close(viewer, CLOSE_LAN_ENDED, LAN_ENDED_REASON)

    def _close(self, viewer: Viewer, code: int, reason: bytes) -> asyncio.Task[None]:
        viewer.closing = True
        viewer.task = asyncio.create_task(self._close_now(viewer, viewer.task, code, reason))
        return viewer.task

    async def _close_now(
        self, viewer: Viewer, sender: asyncio.Task[None] | None, code: int, reason: bytes
    ) -> None:
        """Close one viewer for good: a close code the page understands, or a cut if it lags."""
        if sender is not None and not sender.done():
            sender.cancel()
            await asyncio.wait({sender})
        if viewer.backed_up:
            viewer.abort()
            return
        try:
            close = viewer.ws.close(code=code, message=reason)
            await asyncio.wait_for(close, CLOSE_TIMEOUT + 0.5)
        except (TimeoutError, ConnectionError):
            viewer.abort()

    def _drop(self, viewer: Viewer) -> None:
        """Cut off a viewer that is not keeping up (a close frame would wait behind its backlog)."""
        self.forget(viewer)
        viewer.queue.clear()
        viewer.abort()

    def _count_changed(self) -> None:
        count = len(self._viewers)
        if count == self.count:
            return
        self.count = count
        self.changed.publish(count)

    async def _send_loop(self, viewer: Viewer) -> None:
        """The only writer to one viewer's socket: a stalled viewer stalls nobody else."""
        try:
            while True:
                data = viewer.queue.pop()
                if data is None:
                    viewer.wakeup.clear()
                    await viewer.wakeup.wait()
                    continue
                await asyncio.wait_for(viewer.ws.send_str(data), self._send_timeout)
        except TimeoutError:
            log.info("A share viewer took over %.1f s to take a message: disconnected", self._send_timeout)
            self._drop(viewer)
        except ConnectionError:
            pass  # the viewer went away; its handler cleans up
