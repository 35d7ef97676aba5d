"""A viewer's side of the live share, as the share tests drive it: a real aiohttp client.

These helpers drive their clients with ``asyncio.run`` (a plain loop of their own): the server runs on
its own thread and loop, and its API is synchronous, so no Qt loop is involved.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from typing import Any, TypeVar

import aiohttp

from desktop_app.core.share import ShareServer

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coro, 60))


def origin(server: ShareServer) -> str:
    return f"http://127.0.0.1:{server.port}"


async def next_json(ws: aiohttp.ClientWebSocketResponse, timeout: float = 10) -> dict[str, Any]:
    message = await ws.receive(timeout=timeout)
    assert message.type is aiohttp.WSMsgType.TEXT, message
    data: dict[str, Any] = json.loads(message.data)
    return data


async def until_reply_done(ws: aiohttp.ClientWebSocketResponse) -> list[dict[str, Any]]:
    """Every message up to and including the completed reply."""
    seen: list[dict[str, Any]] = []
    while not (seen and seen[-1]["type"] == "reply" and seen[-1]["done"]):
        seen.append(await next_json(ws))
    return seen
