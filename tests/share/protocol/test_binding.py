"""Which addresses the live share listens on: loopback only, or every interface for LAN sharing."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from desktop_app.core.share import ShareServer
from tests.share.viewer_client import next_json, run


def test_without_lan_only_loopback_is_bound(share: ShareServer) -> None:
    share.start()
    assert share.addresses == [("127.0.0.1", share.port)]
    # Another address of this machine (still loopback, so no traffic leaves it) is not served.
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.2", share.port), timeout=5),
    ):
        pass


def test_lan_sharing_binds_every_interface_when_asked() -> None:
    server = ShareServer("LAN", lan=True)
    url = server.start()
    try:
        assert server.addresses == [("0.0.0.0", server.port)]
        assert url == f"http://127.0.0.1:{server.port}{server.path}"
        other_address = f"http://127.0.0.2:{server.port}{server.path}"  # as another machine would ask

        async def main() -> list[int]:
            statuses = []
            async with aiohttp.ClientSession() as session:
                for address in (url, other_address):
                    async with session.get(address) as response:
                        statuses.append(response.status)
                async with session.ws_connect(
                    other_address + "/ws", origin=other_address.split("/s/")[0]
                ) as ws:
                    assert (await next_json(ws))["type"] == "snapshot"
            return statuses

        assert run(main()) == [200, 200]
    finally:
        server.stop()
