"""Starting, stopping and restarting the live share, and the viewer count as viewers come and go."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from desktop_app.core.share import ShareServer
from tests.conftest import wait_until
from tests.share.viewer_client import next_json, run


def test_stop_closes_every_viewer_and_viewer_counts_follow(share: ShareServer) -> None:
    counts: list[int] = []
    share.viewers_changed.subscribe(counts.append)
    url = share.start()

    async def main() -> list[aiohttp.WSMessage]:
        async with aiohttp.ClientSession() as session:
            first = await session.ws_connect(url + "/ws")
            second = await session.ws_connect(url + "/ws")
            await next_json(first)
            await next_json(second)
            await wait_until(lambda: share.viewer_count == 2)
            await asyncio.to_thread(share.stop)  # as the UI would: from another thread than the clients
            closes = [await first.receive(timeout=10), await second.receive(timeout=10)]
            assert first.closed and second.closed
            return closes

    closes = run(main())
    for close in closes:
        assert close.type is aiohttp.WSMsgType.CLOSE
        assert (close.data, close.extra) == (4000, "Sharing stopped")
    assert counts == [1, 2, 0]
    assert share.viewer_count == 0
    assert share.url == "" and not share.running
    share.stop()  # idempotent


def test_a_viewer_leaving_updates_the_count(share: ShareServer) -> None:
    counts: list[int] = []
    share.viewers_changed.subscribe(counts.append)
    url = share.start()

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(url + "/ws") as ws:
                await next_json(ws)
                await wait_until(lambda: share.viewer_count == 1)
            await wait_until(lambda: share.viewer_count == 0)

    run(main())
    assert counts == [1, 0]


def test_restarting_serves_a_new_url_with_the_same_conversation(share: ShareServer) -> None:
    share.set_conversation("Chat", [("user", "kept")])
    first = share.start()
    share.stop()
    second = share.start()
    assert second != first and share.running

    async def main() -> dict[str, Any]:
        async with aiohttp.ClientSession() as session:
            async with session.get(first.replace(first.split(":")[2].split("/")[0], str(share.port))) as old:
                assert old.status == 404  # the old token is gone
            async with session.ws_connect(second + "/ws") as ws:
                return await next_json(ws)

    assert run(main())["messages"] == [{"role": "user", "html": "kept", "done": True}]
