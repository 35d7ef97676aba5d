"""Live share: serve one chat window read-only to browsers over HTTP and a WebSocket.

The server runs aiohttp on an asyncio loop of its own in a daemon thread, so the app's UI loop
never waits on a viewer: the UI thread only records what changed (a list append under a lock) and
wakes the server thread, which renders markdown and sends. Each viewer has its own queue and
sender task; a slow viewer gets fewer, newer reply updates, and one that falls too far behind or
stalls a send is disconnected (its page reconnects and gets a fresh snapshot).

Security: only ``/s/<token>`` (and the page's own files under it) exist; everything else, a wrong
token included, is a plain 404. Only 127.0.0.1 is bound unless LAN sharing is asked for. Every
response carries a strict CSP (no inline script or style) and the WebSocket refuses other origins.
At most ``MAX_VIEWERS`` watch at once (``viewer_limit``).

Protocol (server to page, JSON text frames; the page sends nothing the server reads):

- ``{"type": "snapshot", "title", "messages": [{"role", "html", "done"}], "streaming"}`` first, and
  whenever the whole conversation is replaced;
- ``{"type": "message", "role", "html"}`` a new user message or notice;
- ``{"type": "reply", "html", "done": false}`` the whole streaming reply so far (replaces the last
  streaming reply on the page, or starts one), and ``"done": true`` once it is complete;
- ``{"type": "title", "title"}`` the conversation was renamed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from aiohttp import WSMsgType, hdrs, web

from desktop_app.core.platform.loop_thread import run_loop_until_stopped
from desktop_app.core.rendering.markdown_render import pygments_css
from desktop_app.core.rendering.streaming.render_throttle import AdaptiveThrottle
from desktop_app.core.share.network import lan_addresses
from desktop_app.core.share.render import HtmlRenderer, StreamingReply
from desktop_app.core.share.snapshot import SnapshotCache
from desktop_app.core.share.viewers import (
    CLOSE_FULL,
    DEFAULT_LIMIT,
    MAX_VIEWERS,
    Kind,
    ViewerQueue,
    full_reason,
)

log = logging.getLogger(__name__)

ROLES = frozenset({"user", "assistant", "notice"})
LOOPBACK = "127.0.0.1"
EVERY_INTERFACE = "0.0.0.0"
PATH_PREFIX = "/s/"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never hand it to another site
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}

CLOSE_STOPPED = 4000  # the page stops reconnecting: sharing has ended
CLOSE_LAN_ENDED = 4001  # the page stops reconnecting: sharing goes on, but no longer to this device
MAX_INCOMING = 4096  # bytes a viewer may send in one message (it is ignored anyway)
RENDER_INTERVAL = 0.05  # at most ~20 renders a second while a reply streams
SEND_TIMEOUT = 5.0  # a viewer that takes longer than this to take one message is disconnected
CLOSE_TIMEOUT = 1.0  # how long a close handshake may take before the connection is cut
HEARTBEAT = 20.0  # pings find viewers whose machine went away without closing
START_TIMEOUT = 10.0


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def _stylesheet() -> str:
    """The page's CSS with code highlighting for light and dark schemes (class-based: CSP-safe)."""
    dark = pygments_css("github-dark")
    return (
        f"{_asset('page.css')}\n/* Pygments (light) */\n{pygments_css('default')}\n"
        f"/* Pygments (dark) */\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )


@dataclass
class _Entry:
    """A message as the UI reported it (markdown or plain text); guarded by ``ShareServer._lock``."""

    role: str
    parts: list[str]  # the text, as the deltas arrived (joined only on the server thread)
    done: bool = True
    revision: int = 0  # bumped when ``end_reply`` replaces what streamed


@dataclass(frozen=True)
class _Copy:
    """An entry's state, copied under the lock for rendering outside it."""

    role: str
    text: str
    done: bool
    revision: int
    parts: int


@dataclass
class _Shown:
    """A message as viewers were sent it (server thread only)."""

    role: str
    text: str
    html: str
    done: bool


def _is_loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _names_an_address(host: str) -> bool:
    """``host`` (a Host header) is an IP literal or localhost, never a name a DNS server controls."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.strip("[]")
    if name == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class _Viewer:
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
        self.closing = False  # stop() is closing it: the handler waits for that instead of cancelling
        self.task: asyncio.Task[None] | None = None  # the sender, then stop()'s closer

    @property
    def backed_up(self) -> bool:
        """Sent data is waiting on the peer: a close frame would wait behind it."""
        return self.transport is None or self.transport.get_write_buffer_size() > 0  # type: ignore[attr-defined]

    def abort(self) -> None:
        """Cut the connection without a handshake; the page reconnects and gets a fresh snapshot."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.abort()  # type: ignore[attr-defined]


class ShareServer:
    """A chat window served live to browsers; every public method is thread-safe and never blocks
    on a viewer (``start`` and ``stop`` wait only for the server thread to bind or shut down).

    The conversation methods only record text (markdown is rendered on the server thread), so the
    UI can call them for every delta. They work before ``start`` and across ``stop``/``start`` too:
    a new share shows the conversation as reported so far.

    ``on_viewers_changed(count)`` is called from the server thread: marshal it to your own thread
    (a queued Qt signal, ``loop.call_soon_threadsafe``) and do not block in it.
    """

    def __init__(
        self,
        title: str = "",
        *,
        lan: bool = False,
        send_timeout: float = SEND_TIMEOUT,
        queue_limit: int = DEFAULT_LIMIT,
        render_interval: float = RENDER_INTERVAL,
        max_viewers: int = MAX_VIEWERS,
    ) -> None:
        self.lan = lan
        self._max_viewers = max_viewers
        self.on_viewers_changed: Callable[[int], None] | None = None
        self._send_timeout = send_timeout
        self._queue_limit = queue_limit
        self._lifecycle = threading.Lock()  # serialises start and stop
        # The conversation as the UI reports it; guarded by _lock, which is never held for long.
        self._lock = threading.Lock()
        self._title = title
        self._entries: list[_Entry] = []
        self._generation = 0  # bumped by set_conversation: viewers get a new snapshot
        self._loop: asyncio.AbstractEventLoop | None = None  # set while serving
        self._wake_pending = False
        # Lifecycle state, written by start/stop.
        self._thread: threading.Thread | None = None
        self._token = ""
        self._port = 0
        self._url = ""
        self._addresses: list[tuple[str, int]] = []
        self._viewer_count = 0
        # Server-thread state: what viewers were sent.
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._stopping = False
        self._viewers: set[_Viewer] = set()
        self._renderer = HtmlRenderer()
        self._shown: list[_Shown] = []
        self._shown_generation = -1
        self._shown_title = ""
        self._snapshots = SnapshotCache()  # every change viewers see is broadcast, and counted there
        self._reply: StreamingReply | None = None  # the last shown message, while it streams
        self._reply_parts = 0  # how many of its entry's parts were fed to it
        self._reply_revision = 0
        self._render_timer: asyncio.TimerHandle | None = None
        self._throttle = AdaptiveThrottle(render_interval)

    # -- lifecycle (UI thread) ---------------------------------------------------------------
    @property
    def url(self) -> str:
        """The viewer URL while sharing (``http://127.0.0.1:<port>/s/<token>``), else ``""``."""
        return self._url

    @property
    def port(self) -> int:
        return self._port

    @property
    def path(self) -> str:
        """The page's path: with ``lan=True`` it works on this machine's LAN address too."""
        return f"{PATH_PREFIX}{self._token}" if self._token else ""

    @property
    def addresses(self) -> list[tuple[str, int]]:
        """The (host, port) pairs the server listens on."""
        return list(self._addresses)

    @property
    def lan_urls(self) -> list[str]:
        """Viewer URLs for other devices (this machine's network addresses) while LAN sharing is on."""
        if not self.lan or not self._token:
            return []
        return [f"http://{address}:{self._port}{self.path}" for address in lan_addresses()]

    def set_lan(self, lan: bool) -> None:
        """Serve other devices too (bind every interface), or this machine only again.

        The port and token stay, so the link and this machine's viewers keep working. Turning it
        off closes every viewer on another device (code 4001). Before ``start`` it only sets what
        ``start`` will bind. Raises ``OSError`` if the port cannot be bound that way (the old
        binding is restored).
        """
        with self._lifecycle:
            with self._lock:
                loop = self._loop
            if self._thread is None or loop is None:
                self.lan = lan
                return
            if lan == self.lan:
                return
            future = asyncio.run_coroutine_threadsafe(self._rebind(lan), loop)
            self._addresses = future.result(timeout=START_TIMEOUT)
            self.lan = lan
            log.info("LAN sharing %s", "on" if lan else "off")

    @property
    def viewer_count(self) -> int:
        return self._viewer_count

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> str:
        """Serve on a free port with a new token; returns the viewer URL (the same one if serving)."""
        with self._lifecycle:
            if self._thread is not None:
                return self._url
            self._token = secrets.token_urlsafe(24)
            self._stopping = False
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=self._run_loop, args=(loop,), name="share-server", daemon=True)
            thread.start()
            try:
                future = asyncio.run_coroutine_threadsafe(self._serve(), loop)
                self._port, self._addresses = future.result(timeout=START_TIMEOUT)
            except BaseException:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout=START_TIMEOUT)
                self._token = ""
                raise
            self._thread = thread
            self._url = f"http://{LOOPBACK}:{self._port}{PATH_PREFIX}{self._token}"
            with self._lock:
                self._loop = loop
                self._wake_pending = True
            loop.call_soon_threadsafe(self._sync)  # render what the UI reported before sharing
            log.info("Sharing on %s", ", ".join(f"{h}:{p}" for h, p in self._addresses))
            return self._url

    def stop(self) -> None:
        """Close every viewer (code 4000, "Sharing stopped") and the server; safe to call twice.

        Takes milliseconds; a viewer with unsent data is cut instead of waited on, and one that
        does not answer the close handshake is cut after ``CLOSE_TIMEOUT``.
        """
        with self._lifecycle:
            thread = self._thread
            with self._lock:
                loop, self._loop = self._loop, None
            if thread is None or loop is None:
                return
            try:
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=START_TIMEOUT)
            except Exception:
                log.exception("The share server did not shut down cleanly")
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=START_TIMEOUT)
            if thread.is_alive():
                log.warning("The share server thread did not stop within %.0f s", START_TIMEOUT)
            self._thread = None
            self._url = self._token = ""
            self._port = 0
            self._addresses = []
            log.info("Sharing stopped")

    # -- the conversation (UI thread) ---------------------------------------------------------
    def set_conversation(self, title: str, messages: list[tuple[str, str]]) -> None:
        """Replace everything shown: ``messages`` are (role, text), role user/assistant/notice.

        All of them are complete; for a reply still streaming, follow with ``begin_reply()`` and
        ``reply_delta(text_so_far)``.
        """
        entries = []
        for role, text in messages:
            if role not in ROLES:
                raise ValueError(f"unknown role {role!r}")
            entries.append(_Entry(role, [text]))
        with self._lock:
            self._generation += 1
            self._title = title
            self._entries = entries
            loop = self._wake_locked()
        self._post(loop)

    def set_title(self, title: str) -> None:
        with self._lock:
            self._title = title
            loop = self._wake_locked()
        self._post(loop)

    def add_user(self, text: str) -> None:
        self._add("user", text)

    def add_notice(self, text: str) -> None:
        self._add("notice", text)

    def begin_reply(self) -> None:
        """A reply starts (the page shows it as streaming); ends a reply still open."""
        with self._lock:
            self._end_open_locked()
            self._entries.append(_Entry("assistant", [], done=False))
            loop = self._wake_locked()
        self._post(loop)

    def reply_delta(self, text: str) -> None:
        """More markdown for the streaming reply (begins one if none is open)."""
        if not text:
            return
        with self._lock:
            entry = self._entries[-1] if self._entries else None
            if entry is None or entry.done:
                entry = _Entry("assistant", [], done=False)
                self._entries.append(entry)
            entry.parts.append(text)
            loop = self._wake_locked()
        self._post(loop)

    def replace_reply(self, text: str) -> None:
        """The streaming reply's whole text so far, where the model replaced some of what streamed."""
        with self._lock:
            entry = self._entries[-1] if self._entries else None
            if entry is None or entry.done:
                entry = _Entry("assistant", [], done=False)
                self._entries.append(entry)
            entry.parts = [text]
            entry.revision += 1
            loop = self._wake_locked()
        self._post(loop)

    def end_reply(self, final_text: str | None = None) -> None:
        """The reply is complete; ``final_text`` replaces what streamed if it differs."""
        with self._lock:
            entry = self._entries[-1] if self._entries else None
            if entry is None or entry.done:
                return
            if final_text is not None and final_text.strip() and final_text != "".join(entry.parts):
                entry.parts = [final_text]
                entry.revision += 1
            entry.done = True
            loop = self._wake_locked()
        self._post(loop)

    def _add(self, role: str, text: str) -> None:
        with self._lock:
            self._end_open_locked()
            self._entries.append(_Entry(role, [text]))
            loop = self._wake_locked()
        self._post(loop)

    def _end_open_locked(self) -> None:
        if self._entries and not self._entries[-1].done:
            self._entries[-1].done = True

    def _wake_locked(self) -> asyncio.AbstractEventLoop | None:
        """The loop to wake, unless it is already woken (one wake-up however many changes)."""
        if self._loop is None or self._wake_pending:
            return None
        self._wake_pending = True
        return self._loop

    def _post(self, loop: asyncio.AbstractEventLoop | None) -> None:
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed under us: sharing is stopping
            loop.call_soon_threadsafe(self._sync)

    # -- rendering (server thread) ------------------------------------------------------------
    def _sync(self) -> None:
        """Bring what viewers were sent up to date with the conversation."""
        with self._lock:
            self._wake_pending = False
            if self._generation != self._shown_generation:
                reset = [self._copy(entry) for entry in self._entries]
                generation, title = self._generation, self._title
            else:
                reset = None
                title = self._title
                open_copy = None
                if self._reply is not None:
                    entry = self._entries[len(self._shown) - 1]
                    if entry.revision != self._reply_revision:
                        open_copy = self._copy(entry)
                    else:  # only the parts not fed yet
                        text = "".join(entry.parts[self._reply_parts :])
                        open_copy = _Copy(entry.role, text, entry.done, entry.revision, len(entry.parts))
                new = [self._copy(entry) for entry in self._entries[len(self._shown) :]]
        if reset is not None:
            self._reset(generation, title, reset)
            return
        if title != self._shown_title:
            self._shown_title = title
            self._broadcast(Kind.MESSAGE, {"type": "title", "title": title})
        if open_copy is not None:
            self._update_reply(open_copy)
        for copy in new:
            self._show(copy)

    @staticmethod
    def _copy(entry: _Entry) -> _Copy:
        return _Copy(entry.role, "".join(entry.parts), entry.done, entry.revision, len(entry.parts))

    def _reset(self, generation: int, title: str, copies: list[_Copy]) -> None:
        """A new conversation: render it (reusing what was rendered before) and send a snapshot."""
        rendered = {(s.role, s.text): s.html for s in self._shown if s.done}
        self._cancel_render()
        self._reply = None
        self._shown = []
        self._shown_generation = generation
        self._shown_title = title
        for copy in copies:
            if copy.role == "assistant" and not copy.done:
                self._start_reply(copy)
                self._shown.append(_Shown(copy.role, "", self._render_reply(), False))
                continue
            html = rendered.get((copy.role, copy.text))
            if html is None:
                html = self._render_whole(copy.role, copy.text)
            self._shown.append(_Shown(copy.role, copy.text, html, True))
        self._broadcast(Kind.SNAPSHOT, self._snapshot())

    def _show(self, copy: _Copy) -> None:
        """A message new since the last sync."""
        if copy.role != "assistant":
            html = self._renderer.plain(copy.text)
            self._shown.append(_Shown(copy.role, copy.text, html, True))
            self._broadcast(Kind.MESSAGE, {"type": "message", "role": copy.role, "html": html})
            return
        self._start_reply(copy)
        self._shown.append(_Shown("assistant", "", "", False))
        if copy.done:
            self._finish_reply()
        else:
            self._throttle.reset()  # the page shows the new reply at once
            self._publish_reply()

    def _start_reply(self, copy: _Copy) -> None:
        self._cancel_render()
        self._reply = StreamingReply(self._renderer)
        self._reply.append(copy.text)
        self._reply_parts = copy.parts
        self._reply_revision = copy.revision

    def _update_reply(self, copy: _Copy) -> None:
        """More text for the streaming reply, or its end."""
        assert self._reply is not None
        if copy.revision != self._reply_revision:
            self._start_reply(copy)  # end_reply replaced what streamed
        else:
            self._reply.append(copy.text)
            self._reply_parts = copy.parts
        if copy.done:
            self._finish_reply()
        elif copy.text and self._render_timer is None:
            loop = asyncio.get_running_loop()
            delay = self._throttle.delay(loop.time())
            if delay <= 0:
                self._publish_reply()
            else:
                self._render_timer = loop.call_later(delay, self._publish_reply)

    def _render_reply(self) -> str:
        assert self._reply is not None
        loop = asyncio.get_running_loop()
        start = loop.time()
        html = self._reply.render()
        self._throttle.rendered(start, loop.time())
        return html

    def _publish_reply(self) -> None:
        """Render the streaming reply and send it (throttled: at most every ``render_interval``)."""
        self._render_timer = None
        if self._reply is None:
            return
        html = self._render_reply()
        self._shown[-1].html = html
        self._broadcast(Kind.PARTIAL, {"type": "reply", "html": html, "done": False})

    def _finish_reply(self) -> None:
        assert self._reply is not None
        self._cancel_render()
        reply, self._reply = self._reply, None
        html = reply.finish()
        self._shown[-1] = _Shown("assistant", reply.text, html, True)
        self._broadcast(Kind.FINAL, {"type": "reply", "html": html, "done": True})

    def _cancel_render(self) -> None:
        if self._render_timer is not None:
            self._render_timer.cancel()
            self._render_timer = None

    def _render_whole(self, role: str, text: str) -> str:
        return self._renderer.markdown(text) if role == "assistant" else self._renderer.plain(text)

    def _snapshot(self) -> dict[str, Any]:
        return {
            "type": "snapshot",
            "title": self._shown_title,
            "messages": [{"role": s.role, "html": s.html, "done": s.done} for s in self._shown],
            "streaming": self._reply is not None,
        }

    # -- viewers (server thread) --------------------------------------------------------------
    def _broadcast(self, kind: Kind, payload: dict[str, Any]) -> None:
        self._snapshots.changed()
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

    def _drop(self, viewer: _Viewer) -> None:
        """Cut off a viewer that is not keeping up (a close frame would wait behind its backlog)."""
        self._forget(viewer)
        viewer.queue.clear()
        viewer.abort()

    def _forget(self, viewer: _Viewer) -> None:
        if viewer in self._viewers:
            self._viewers.discard(viewer)
            self._count_changed()

    def _count_changed(self) -> None:
        count = len(self._viewers)
        if count == self._viewer_count:
            return
        self._viewer_count = count
        callback = self.on_viewers_changed
        if callback is not None:
            try:
                callback(count)
            except Exception:
                log.exception("on_viewers_changed failed")

    async def _send_loop(self, viewer: _Viewer) -> None:
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

    async def _close_stopped(
        self,
        viewer: _Viewer,
        sender: asyncio.Task[None] | None,
        code: int = CLOSE_STOPPED,
        reason: bytes = b"Sharing stopped",
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

    # -- HTTP (server thread) -----------------------------------------------------------------
    async def _serve(self) -> tuple[int, list[tuple[str, int]]]:
        app = web.Application(client_max_size=MAX_INCOMING)
        app.on_response_prepare.append(_add_security_headers)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=CLOSE_TIMEOUT)
        await runner.setup()
        try:
            site = web.TCPSite(runner, EVERY_INTERFACE if self.lan else LOOPBACK, 0)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner, self._site = runner, site
        addresses = self._bound()
        return addresses[0][1], addresses

    def _bound(self) -> list[tuple[str, int]]:
        assert self._runner is not None
        return [(str(a[0]), int(a[1])) for a in self._runner.addresses]

    async def _rebind(self, lan: bool) -> list[tuple[str, int]]:
        """Listen on the same port on every interface or on loopback only; open connections stay."""
        assert self._runner is not None and self._site is not None
        old_host = EVERY_INTERFACE if self.lan else LOOPBACK
        await self._site.stop()  # closes the listening socket only
        self._site = None
        try:
            self._site = await self._listen(EVERY_INTERFACE if lan else LOOPBACK)
        except OSError:
            self._site = await self._listen(old_host)
            raise
        if not lan:
            for viewer in [v for v in self._viewers if not _is_loopback(v.remote)]:
                self._forget(viewer)
                viewer.closing = True
                viewer.task = asyncio.create_task(
                    self._close_stopped(viewer, viewer.task, CLOSE_LAN_ENDED, b"LAN sharing ended")
                )
        return self._bound()

    async def _listen(self, host: str) -> web.TCPSite:
        assert self._runner is not None
        site = web.TCPSite(self._runner, host, self._port, reuse_address=True)
        await site.start()
        return site

    async def _shutdown(self) -> None:
        self._stopping = True
        self._cancel_render()
        viewers = list(self._viewers)
        self._viewers.clear()
        self._count_changed()
        closers = []
        for viewer in viewers:
            viewer.closing = True
            viewer.task = asyncio.create_task(self._close_stopped(viewer, viewer.task))
            closers.append(viewer.task)
        if closers:
            await asyncio.wait(closers)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = self._site = None

    def _run_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        run_loop_until_stopped(loop)

    def _resource(self, request: web.Request) -> str | None:
        """Which of the page's files is asked for, or None (a 404 that tells nothing)."""
        if request.method not in (hdrs.METH_GET, hdrs.METH_HEAD):
            return None
        if not self.lan and request.host not in (f"{LOOPBACK}:{self._port}", f"localhost:{self._port}"):
            return None  # DNS rebinding: a page on another name that resolves here
        if not _names_an_address(request.host):
            return None
        path = request.path
        if not path.startswith(PATH_PREFIX) or not self._token:
            return None
        token, _, rest = path[len(PATH_PREFIX) :].partition("/")
        if not hmac.compare_digest(token.encode(), self._token.encode()):
            return None
        return rest if rest in ("", "page.js", "page.css", "ws") else None

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        resource = self._resource(request)
        if resource is None:
            raise web.HTTPNotFound()
        if resource == "ws":
            return await self._websocket(request)
        if resource == "page.js":
            return web.Response(text=_asset("page.js"), content_type="text/javascript", charset="utf-8")
        if resource == "page.css":
            return web.Response(text=_stylesheet(), content_type="text/css", charset="utf-8")
        page = _asset("page.html").replace("{{base}}", f"{PATH_PREFIX}{self._token}")
        return web.Response(text=page, content_type="text/html", charset="utf-8")

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        origin = request.headers.get(hdrs.ORIGIN)
        if origin is not None and origin != f"http://{request.host}":
            raise web.HTTPForbidden()  # another site's page in the viewer's browser
        ws = web.WebSocketResponse(
            timeout=CLOSE_TIMEOUT,
            heartbeat=HEARTBEAT,
            compress=False,  # deflating every whole-reply update costs this thread more than it saves
            max_msg_size=MAX_INCOMING,
        )
        if not ws.can_prepare(request).ok:
            raise web.HTTPNotFound()
        await ws.prepare(request)
        if self._stopping:
            await ws.close(code=CLOSE_STOPPED, message=b"Sharing stopped")
            return ws
        if len(self._viewers) >= self._max_viewers:  # no await from here to the add below
            log.info("Refused a share viewer: %d are watching already", len(self._viewers))
            await ws.close(code=CLOSE_FULL, message=full_reason(self._max_viewers))
            return ws
        viewer = _Viewer(ws, request.transport, self._queue_limit, request.remote)
        self._sync()  # the snapshot is what the UI reported up to now
        if self._render_timer is not None:
            self._publish_reply()  # a throttled render is pending: the newcomer gets the text now
        viewer.queue.put(Kind.SNAPSHOT, self._snapshots.get(self._snapshot))
        self._viewers.add(viewer)
        viewer.task = asyncio.create_task(self._send_loop(viewer))
        self._count_changed()
        try:
            async for message in ws:
                if message.type is WSMsgType.ERROR:
                    break  # e.g. over MAX_INCOMING: aiohttp has closed it with 1009
                # A share is read-only: whatever a viewer sends is ignored.
        finally:
            self._forget(viewer)
            task = viewer.task
            if not viewer.closing:
                task.cancel()
            await asyncio.wait({task})
            if viewer.task is not task:  # stop() replaced the sender with its closer
                await asyncio.wait({viewer.task})
        return ws


async def _add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
