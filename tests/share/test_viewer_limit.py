"""A share takes at most MAX_VIEWERS viewers (the next is told why), and a joining viewer's snapshot
is serialised once per change, not once per viewer."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp

from desktop_app.core.share import ShareServer
from desktop_app.core.share.snapshot import SnapshotCache
from desktop_app.core.share.viewers import CLOSE_FULL, MAX_VIEWERS, full_reason
from tests.conftest import wait_until
from tests.share.viewer_client import next_json, run


def test_the_viewer_over_the_limit_is_told_why_and_the_others_keep_watching(share: ShareServer) -> None:
    assert MAX_VIEWERS == 32
    share.set_conversation("Popular", [("user", "hello")])
    url = share.start()

    async def main() -> tuple[aiohttp.WSMessage, dict[str, Any], dict[str, Any]]:
        async with aiohttp.ClientSession() as session:
            viewers = [await session.ws_connect(url + "/ws") for _ in range(MAX_VIEWERS)]
            for ws in viewers:
                assert (await next_json(ws))["type"] == "snapshot"
            await wait_until(lambda: share.viewer_count == MAX_VIEWERS)
            over = await session.ws_connect(url + "/ws")
            refused = await over.receive(timeout=10)
            assert share.viewer_count == MAX_VIEWERS
            share.add_user("still here?")
            delivered = await next_json(viewers[-1])  # the viewers already in are not disturbed
            await viewers[0].close()
            await wait_until(lambda: share.viewer_count == MAX_VIEWERS - 1)
            async with session.ws_connect(url + "/ws") as late:  # a place is free again
                snapshot = await next_json(late)
            for ws in viewers[1:]:
                await ws.close()
            return refused, delivered, snapshot

    refused, delivered, snapshot = run(main())
    assert refused.type is aiohttp.WSMsgType.CLOSE
    assert refused.data == CLOSE_FULL
    assert refused.extra == full_reason(MAX_VIEWERS).decode()
    assert "32 viewers" in refused.extra
    assert delivered["type"] == "message"
    assert [m["role"] for m in snapshot["messages"]] == ["user", "user"]


def test_the_reason_fits_a_close_frame() -> None:
    assert len(full_reason(10**6)) <= 123


def test_the_page_shows_the_reason_and_retries() -> None:
    from importlib import resources

    page = resources.files("desktop_app.core.share").joinpath("page.js").read_text(encoding="utf-8")
    assert f"CLOSE_FULL = {CLOSE_FULL}" in page
    assert 'setStatus("full", why)' in page and "event.reason" in page


def test_many_joiners_share_one_snapshot_until_something_changes() -> None:
    server = ShareServer("Busy", max_viewers=50)
    server.set_conversation("Busy", [("user", "x" * 10_000), ("assistant", "**big** reply " * 500)])
    url = server.start()
    builds = server._publisher.snapshots  # the server thread's cache (read only here)

    async def main() -> list[list[dict[str, Any]]]:
        async with aiohttp.ClientSession() as session:
            first = [await session.ws_connect(url + "/ws") for _ in range(20)]
            first_snapshots = [await next_json(ws) for ws in first]
            assert builds.builds == 1  # twenty viewers, one serialisation
            server.add_user("a new question")
            await next_json(first[0])
            second = [await session.ws_connect(url + "/ws") for _ in range(10)]
            second_snapshots = [await next_json(ws) for ws in second]
            assert builds.builds == 2  # one more change, one more serialisation
            server.begin_reply()
            server.reply_delta("Streaming")
            assert (await next_json(first[0]))["type"] in ("reply", "message")
            await asyncio.sleep(0.1)
            async with session.ws_connect(url + "/ws") as mid:
                mid_snapshot = await next_json(mid)
            for ws in first + second:
                await ws.close()
            return [first_snapshots, second_snapshots, [mid_snapshot]]

    try:
        first, second, (mid,) = run(main())
    finally:
        server.stop()
    assert all(s == first[0] for s in first) and len(first[0]["messages"]) == 2
    assert all(s == second[0] for s in second) and second[0]["messages"][-1]["html"] == "a new question"
    assert mid["streaming"] is True and "Streaming" in mid["messages"][-1]["html"]  # never a stale one


def test_snapshot_cache_builds_once_per_change() -> None:
    cache = SnapshotCache()
    made: list[int] = []

    def build() -> dict[str, Any]:
        made.append(1)
        return {"n": len(made), "text": "ü"}

    first = cache.get(build)
    assert cache.get(build) is first and len(made) == 1
    assert json.loads(first) == {"n": 1, "text": "ü"} and "ü" in first
    cache.changed()
    cache.changed()
    assert json.loads(cache.get(build))["n"] == 2 and cache.builds == 2
