"""What share viewers are sent: the transcript rendered as page HTML on the server thread, and broadcast.

The publisher keeps the conversation as viewers were sent it, so a new conversation reuses what was
rendered before and a joining viewer's snapshot is built from it (serialised once per change, see
snapshot.py). A streaming reply is rendered incrementally (``StreamingReply``), at most every
``render_interval`` and never more often than its rendering takes (``AdaptiveThrottle``), so a fast
stream costs the server thread a bounded share of its time; a reply's start and end go out at once.

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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from desktop_app.core.rendering.streaming.render_throttle import AdaptiveThrottle
from desktop_app.core.share.render import HtmlRenderer, StreamingReply
from desktop_app.core.share.snapshot import SnapshotCache
from desktop_app.core.share.transcript import Copy, Position, Transcript
from desktop_app.core.share.viewers import Kind

RENDER_INTERVAL = 0.05  # at most ~20 renders a second while a reply streams

Send = Callable[[Kind, dict[str, Any]], None]


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class Timers(Protocol):
    """What the publisher needs of its event loop: a clock and a timer (a fake one in tests)."""

    def time(self) -> float: ...
    def call_later(self, delay: float, callback: Callable[[], None], /) -> Cancellable: ...


@dataclass
class _Shown:
    """A message as viewers were sent it."""

    role: str
    text: str
    html: str
    done: bool


class Publisher:
    """Brings what viewers were sent up to date with a ``Transcript``; server thread only.

    ``sync`` is the transcript's reader (it runs after changes); ``send`` queues a message for every
    viewer. ``timers`` gives the running loop (its clock and timers) when a render is scheduled.
    """

    def __init__(
        self,
        transcript: Transcript,
        send: Send,
        *,
        render_interval: float = RENDER_INTERVAL,
        timers: Callable[[], Timers] = asyncio.get_running_loop,
    ) -> None:
        self._transcript = transcript
        self._send = send
        self._timers = timers
        self._renderer = HtmlRenderer()
        self._shown: list[_Shown] = []
        self._shown_generation = -1
        self._shown_title = ""
        self.snapshots = SnapshotCache()  # every change viewers see is broadcast, and counted there
        self._reply: StreamingReply | None = None  # the last shown message, while it streams
        self._reply_parts = 0  # how many of its entry's parts were fed to it
        self._reply_revision = 0
        self._render_timer: Cancellable | None = None
        self._throttle = AdaptiveThrottle(render_interval)

    def sync(self) -> None:
        """Bring what viewers were sent up to date with the conversation."""
        update = self._transcript.read(
            Position(
                self._shown_generation,
                len(self._shown),
                self._reply is not None,
                self._reply_revision,
                self._reply_parts,
            )
        )
        if update.replaced is not None:
            self._reset(update.generation, update.title, update.replaced)
            return
        if update.title != self._shown_title:
            self._shown_title = update.title
            self._broadcast(Kind.MESSAGE, {"type": "title", "title": update.title})
        if update.reply is not None:
            self._update_reply(update.reply)
        for copy in update.new:
            self._show(copy)

    def snapshot(self) -> str:
        """The snapshot for a viewer joining now: everything reported so far, as serialised JSON."""
        self.sync()
        if self._render_timer is not None:
            self._publish_reply()  # a throttled render is pending: the newcomer gets the text now
        return self.snapshots.get(self._snapshot)

    def stop(self) -> None:
        """Sharing stops: no render is left waiting on a loop that is about to close."""
        self._cancel_render()

    def _reset(self, generation: int, title: str, copies: list[Copy]) -> None:
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

    def _show(self, copy: Copy) -> None:
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

    def _start_reply(self, copy: Copy) -> None:
        self._cancel_render()
        self._reply = StreamingReply(self._renderer)
        self._reply.append(copy.text)
        self._reply_parts = copy.parts
        self._reply_revision = copy.revision

    def _update_reply(self, copy: Copy) -> None:
        """More text for the streaming reply, or its end."""
        assert self._reply is not None
        if copy.revision != self._reply_revision:
            self._start_reply(copy)  # the text was replaced rather than added to
        else:
            self._reply.append(copy.text)
            self._reply_parts = copy.parts
        if copy.done:
            self._finish_reply()
        elif copy.text and self._render_timer is None:
            timers = self._timers()
            delay = self._throttle.delay(timers.time())
            if delay <= 0:
                self._publish_reply()
            else:
                self._render_timer = timers.call_later(delay, self._publish_reply)

    def _render_reply(self) -> str:
        assert self._reply is not None
        timers = self._timers()
        start = timers.time()
        html = self._reply.render()
        self._throttle.rendered(start, timers.time())
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

    def _broadcast(self, kind: Kind, payload: dict[str, Any]) -> None:
        self.snapshots.changed()
        self._send(kind, payload)
