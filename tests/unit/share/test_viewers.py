"""The viewers, on a real aiohttp server of their own: the snapshot first, broadcasts, counts, closing."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from desktop_app.core.share.viewers import CLOSE_STOPPED, Kind, Viewers
from tests.conftest import wait_until

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coro, 60))


@asynccontextmanager
async def serving(
    viewers: Viewers, snapshot: Callable[[], str] = lambda: '{"type": "snapshot"}'
) -> AsyncIterator[str]:
    """A WebSocket endpoint that hands every connection to ``viewers``; yields its URL."""

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await viewers.watch(viewers.join(request, ws, snapshot()))
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("/ws"))
        await viewers.close_all()


async def next_json(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    message = await ws.receive(timeout=10)
    assert message.type is aiohttp.WSMsgType.TEXT, message
    data: dict[str, Any] = json.loads(message.data)
    return data


def test_a_viewer_gets_the_snapshot_first_then_every_broadcast() -> None:
    viewers = Viewers()

    async def main() -> None:
        async with serving(viewers) as url, aiohttp.ClientSession() as session:
            first = await session.ws_connect(url)
            assert await next_json(first) == {"type": "snapshot"}
            viewers.broadcast(Kind.MESSAGE, {"type": "message", "html": "ü"})
            second = await session.ws_connect(url)
            assert await next_json(second) == {"type": "snapshot"}  # what was sent before is in it
            viewers.broadcast(Kind.PARTIAL, {"type": "reply", "html": "both"})
            assert await next_json(first) == {"type": "message", "html": "ü"}
            for ws in (first, second):
                assert await next_json(ws) == {"type": "reply", "html": "both"}
            await first.close()
            await second.close()

    run(main())


@pytest.mark.expected_warnings
def test_the_count_is_told_through_the_hub_and_a_failing_subscriber_harms_no_other(
    caplog: pytest.LogCaptureFixture,
) -> None:
    viewers = Viewers()
    counts: list[int] = []

    def broken(count: int) -> None:
        raise RuntimeError("a subscriber's bug")

    viewers.changed.subscribe(broken)
    viewers.changed.subscribe(counts.append)

    async def main() -> None:
        async with serving(viewers) as url, aiohttp.ClientSession() as session:
            first = await session.ws_connect(url)
            second = await session.ws_connect(url)
            await next_json(first)
            await next_json(second)
            await wait_until(lambda: viewers.count == 2)
            await first.close()
            await wait_until(lambda: viewers.count == 1)
            viewers.broadcast(Kind.MESSAGE, {"type": "message"})
            assert (await next_json(second))["type"] == "message"  # served on despite the bug
            await second.close()
            await wait_until(lambda: viewers.count == 0)

    with caplog.at_level(logging.ERROR):
        run(main())
    assert counts == [1, 2, 1, 0]
    assert "share viewers subscriber" in caplog.text and "a subscriber's bug" in caplog.text


def test_close_all_closes_every_viewer_for_good_and_the_count_drops_at_once() -> None:
    viewers = Viewers()
    counts: list[int] = []
    viewers.changed.subscribe(counts.append)

    async def main() -> list[aiohttp.WSMessage]:
        async with serving(viewers) as url, aiohttp.ClientSession() as session:
            clients = [await session.ws_connect(url) for _ in range(3)]
            for ws in clients:
                await next_json(ws)
            await wait_until(lambda: viewers.count == 3)
            await viewers.close_all()
            return [await ws.receive(timeout=10) for ws in clients]

    closes = run(main())
    assert [(c.type, c.data, c.extra) for c in closes] == [
        (aiohttp.WSMsgType.CLOSE, CLOSE_STOPPED, "Sharing stopped")
    ] * 3
    assert counts == [1, 2, 3, 0]


def test_ending_lan_sharing_keeps_this_machines_viewers() -> None:
    viewers = Viewers()

    async def main() -> None:
        async with serving(viewers) as url, aiohttp.ClientSession() as session:
            ws = await session.ws_connect(url)
            await next_json(ws)
            await wait_until(lambda: viewers.count == 1)
            viewers.close_remote()  # its peer is 127.0.0.1
            viewers.broadcast(Kind.MESSAGE, {"type": "message"})
            assert (await next_json(ws))["type"] == "message"
            assert viewers.count == 1
            await ws.close()

    run(main())


def test_full_at_the_limit() -> None:
    viewers = Viewers(max_viewers=2)

    async def main() -> None:
        async with serving(viewers) as url, aiohttp.ClientSession() as session:
            first = await session.ws_connect(url)
            await next_json(first)
            await wait_until(lambda: viewers.count == 1)
            assert not viewers.full
            second = await session.ws_connect(url)
            await next_json(second)
            await wait_until(lambda: viewers.count == 2)
            assert viewers.full and len(viewers) == 2 and all(not v.closing for v in viewers)
            await first.close()
            await wait_until(lambda: not viewers.full)
            await second.close()

    run(main())


def test_a_viewer_too_far_behind_is_cut_off(caplog: pytest.LogCaptureFixture) -> None:
    viewers = Viewers(queue_limit=2, send_timeout=60)
    caplog.set_level(logging.INFO, logger="desktop_app.core.share")

    async def main() -> None:
        async with serving(viewers) as url, aiohttp.ClientSession() as session:
            ws = await session.ws_connect(url)
            await next_json(ws)
            await wait_until(lambda: viewers.count == 1)
            for number in range(3):  # no await: the sender has no chance to take any of them
                viewers.broadcast(Kind.MESSAGE, {"n": number})
            assert viewers.count == 0
            closed = await ws.receive(timeout=10)
            assert closed.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSE)

    run(main())
    assert "fell 3 messages behind: disconnected" in caplog.text
