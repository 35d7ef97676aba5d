"""Live share: serve one chat window read-only to browsers over HTTP and a WebSocket.

The server runs aiohttp on an asyncio loop of its own in a daemon thread, so the app's UI loop
never waits on a viewer: the UI thread only records what changed (``Transcript``, a list append
under a lock) and wakes the server thread, which renders markdown and broadcasts (``Publisher``,
whose docstring has the page's protocol). Each viewer has its own queue and sender task
(``Viewers``); a slow viewer gets fewer, newer reply updates, and one that falls too far behind or
stalls a send is disconnected (its page reconnects and gets a fresh snapshot).

Security (``network``): only ``/s/<token>`` (and the page's own files under it) exist; everything
else is a plain 404. Only 127.0.0.1 is bound unless LAN sharing is asked for. Every response carries
a strict CSP and the WebSocket refuses other origins. At most ``MAX_VIEWERS`` watch at once.

This module is the lifecycle (start, stop, LAN on and off) and the routes.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
from functools import cache
from importlib import resources

from aiohttp import hdrs, web

from desktop_app.core.platform.loop_thread import run_loop_until_stopped
from desktop_app.core.rendering.markdown_render import pygments_css
from desktop_app.core.share.network import (
    LOOPBACK,
    PATH_PREFIX,
    add_security_headers,
    bind_host,
    lan_addresses,
    origin_allowed,
    page_file,
)
from desktop_app.core.share.publisher import RENDER_INTERVAL, Publisher
from desktop_app.core.share.transcript import Transcript
from desktop_app.core.share.viewers import (
    CLOSE_FULL,
    CLOSE_STOPPED,
    CLOSE_TIMEOUT,
    DEFAULT_LIMIT,
    MAX_VIEWERS,
    SEND_TIMEOUT,
    STOPPED_REASON,
    Viewers,
    full_reason,
)
from desktop_app.core.vocabulary.event_hub import EventHub

log = logging.getLogger(__name__)

MAX_INCOMING = 4096  # bytes a viewer may send in one message (it is ignored anyway)
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


class ShareServer:
    """A chat window served live to browsers; every public method is thread-safe and never blocks
    on a viewer (``start`` and ``stop`` wait only for the server thread to bind or shut down).

    The conversation methods only record text (markdown is rendered on the server thread), so the
    UI can call them for every delta. They work before ``start`` and across ``stop``/``start`` too:
    a new share shows the conversation as reported so far.

    ``viewers_changed`` tells how many watch, from the server thread: a subscriber marshals the
    count to its own thread (a queued Qt signal, ``loop.call_soon_threadsafe``) and does not block.
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
        self._lifecycle = threading.Lock()  # serialises start, stop and set_lan
        self._transcript = Transcript(title)
        # Server-thread state: who watches, and what they were sent.
        self._viewers = Viewers(send_timeout=send_timeout, queue_limit=queue_limit, max_viewers=max_viewers)
        self._publisher = Publisher(
            self._transcript, self._viewers.broadcast, render_interval=render_interval
        )
        self.viewers_changed: EventHub[int] = self._viewers.changed
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._stopping = False
        # Lifecycle state, written by start/stop under _lifecycle.
        self._loop: asyncio.AbstractEventLoop | None = None  # set while serving
        self._thread: threading.Thread | None = None
        self._token = ""
        self._port = 0
        self._url = ""
        self._addresses: list[tuple[str, int]] = []

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
        return self._viewers.count

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
            thread = threading.Thread(
                target=run_loop_until_stopped, args=(loop,), name="share-server", daemon=True
            )
            thread.start()
            try:
                future = asyncio.run_coroutine_threadsafe(self._serve(), loop)
                self._port, self._addresses = future.result(timeout=START_TIMEOUT)
            except BaseException:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout=START_TIMEOUT)
                self._token = ""
                raise
            self._thread, self._loop = thread, loop
            self._url = f"http://{LOOPBACK}:{self._port}{PATH_PREFIX}{self._token}"
            # The publisher reads after every change, and now: what the UI reported before sharing.
            self._transcript.connect(loop, self._publisher.sync)
            log.info("Sharing on %s", ", ".join(f"{h}:{p}" for h, p in self._addresses))
            return self._url

    def stop(self) -> None:
        """Close every viewer (code 4000, "Sharing stopped") and the server; safe to call twice.

        Takes milliseconds; a viewer with unsent data is cut instead of waited on, and one that
        does not answer the close handshake is cut after ``CLOSE_TIMEOUT``.
        """
        with self._lifecycle:
            thread, loop = self._thread, self._loop
            self._transcript.disconnect()
            self._loop = None
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

    # -- the conversation (UI thread): recorded by the transcript ------------------------------
    def set_conversation(self, title: str, messages: list[tuple[str, str]]) -> None:
        """Replace everything shown: ``messages`` are (role, text), role user/assistant/notice.

        All of them are complete; for a reply still streaming, follow with ``begin_reply()`` and
        ``reply_delta(text_so_far)``.
        """
        self._transcript.set_conversation(title, messages)

    def set_title(self, title: str) -> None:
        self._transcript.set_title(title)

    def add_user(self, text: str) -> None:
        self._transcript.add_user(text)

    def add_notice(self, text: str) -> None:
        self._transcript.add_notice(text)

    def begin_reply(self) -> None:
        """A reply starts (the page shows it as streaming); ends a reply still open."""
        self._transcript.begin_reply()

    def reply_delta(self, text: str) -> None:
        """More markdown for the streaming reply (begins one if none is open)."""
        self._transcript.reply_delta(text)

    def replace_reply(self, text: str) -> None:
        """The streaming reply's whole text so far, where the model replaced some of what streamed."""
        self._transcript.replace_reply(text)

    def end_reply(self, final_text: str | None = None) -> None:
        """The reply is complete; ``final_text`` replaces what streamed if it differs."""
        self._transcript.end_reply(final_text)

    # -- HTTP (server thread) -----------------------------------------------------------------
    async def _serve(self) -> tuple[int, list[tuple[str, int]]]:
        app = web.Application(client_max_size=MAX_INCOMING)
        app.on_response_prepare.append(add_security_headers)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=CLOSE_TIMEOUT)
        await runner.setup()
        try:
            site = web.TCPSite(runner, bind_host(self.lan), 0)
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
        old_host = bind_host(self.lan)
        await self._site.stop()  # closes the listening socket only
        self._site = None
        try:
            self._site = await self._listen(bind_host(lan))
        except OSError:
            self._site = await self._listen(old_host)
            raise
        if not lan:
            self._viewers.close_remote()
        return self._bound()

    async def _listen(self, host: str) -> web.TCPSite:
        assert self._runner is not None
        site = web.TCPSite(self._runner, host, self._port, reuse_address=True)
        await site.start()
        return site

    async def _shutdown(self) -> None:
        self._stopping = True
        self._publisher.stop()
        await self._viewers.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = self._site = None

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        asked = page_file(
            request.method, request.host, request.path, token=self._token, port=self._port, lan=self.lan
        )
        if asked is None:
            raise web.HTTPNotFound()
        if asked == "ws":
            return await self._websocket(request)
        if asked == "page.js":
            return web.Response(text=_asset("page.js"), content_type="text/javascript", charset="utf-8")
        if asked == "page.css":
            return web.Response(text=_stylesheet(), content_type="text/css", charset="utf-8")
        page = _asset("page.html").replace("{{base}}", f"{PATH_PREFIX}{self._token}")
        return web.Response(text=page, content_type="text/html", charset="utf-8")

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if not origin_allowed(request.headers.get(hdrs.ORIGIN), request.host):
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
            await ws.close(code=CLOSE_STOPPED, message=STOPPED_REASON)
            return ws
        if self._viewers.full:  # no await from here to the join below
            log.info("Refused a share viewer: %d are watching already", len(self._viewers))
            await ws.close(code=CLOSE_FULL, message=full_reason(self._viewers.max_viewers))
            return ws
        # The snapshot is what the UI reported up to now.
        viewer = self._viewers.join(request, ws, self._publisher.snapshot())
        await self._viewers.watch(viewer)
        return ws
