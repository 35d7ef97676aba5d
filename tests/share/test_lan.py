"""LAN sharing: turned on and off while viewers watch, and which requests it lets in."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest

from desktop_app.core.share import ShareServer
from desktop_app.core.share.network import lan_addresses
from desktop_app.core.share.viewers import CLOSE_LAN_ENDED
from tests.conftest import wait_until
from tests.share.viewer_client import next_json, run


def _network_address() -> str:
    """An address of this machine that is not loopback: a viewer there counts as another device."""
    addresses = lan_addresses()
    if not addresses:
        pytest.skip("this machine has no network address besides loopback")
    return addresses[0]


def _refused(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


def test_lan_addresses_are_never_loopback_or_unspecified() -> None:
    for address in lan_addresses():
        assert not address.startswith(("127.", "0.", "169.254."))


def test_set_lan_before_start_only_chooses_what_start_binds(share: ShareServer) -> None:
    share.set_lan(True)
    assert share.lan_urls == []  # nothing is served yet
    share.start()
    assert share.addresses == [("0.0.0.0", share.port)]


def test_turning_lan_on_keeps_the_link_and_viewers_then_off_cuts_other_devices(
    share: ShareServer,
) -> None:
    network = _network_address()
    url = share.start()
    port, path = share.port, share.path
    assert _refused(network, port)  # loopback only to begin with
    assert share.lan_urls == []

    async def main() -> None:
        async with aiohttp.ClientSession() as session, session.ws_connect(url + "/ws") as local:
            assert (await next_json(local))["type"] == "snapshot"
            await asyncio.to_thread(share.set_lan, True)
            assert share.url == url and share.port == port and share.path == path
            assert share.addresses == [("0.0.0.0", port)]
            lan_url = f"http://{network}:{port}{path}"
            assert lan_url in share.lan_urls
            async with session.get(lan_url) as page:
                assert page.status == 200
            async with session.ws_connect(lan_url + "/ws", origin=f"http://{network}:{port}") as remote:
                assert (await next_json(remote))["type"] == "snapshot"
                await wait_until(lambda: share.viewer_count == 2)
                share.add_notice("both see this")
                for ws in (local, remote):
                    assert (await next_json(ws))["type"] == "message"

                await asyncio.to_thread(share.set_lan, False)
                closed = await remote.receive(timeout=10)
                assert closed.type is aiohttp.WSMsgType.CLOSE
                assert closed.data == CLOSE_LAN_ENDED
                await wait_until(lambda: share.viewer_count == 1)
            # This machine's viewer never noticed.
            share.add_notice("only here now")
            message = await next_json(local)
            assert message["type"] == "message" and "only here now" in message["html"]
            assert share.addresses == [("127.0.0.1", port)] and share.lan_urls == []

    run(main())
    assert _refused(network, port)


def test_with_lan_on_a_host_name_is_refused_and_addresses_are_served(share: ShareServer) -> None:
    """A DNS-rebinding page (another name that resolves here) gets nothing, even on the LAN."""
    share.start()
    share.set_lan(True)
    base = f"http://127.0.0.1:{share.port}{share.path}"

    async def main() -> list[int]:
        statuses = []
        async with aiohttp.ClientSession() as session:
            for host in (
                "evil.example",
                f"evil.example:{share.port}",
                f"127.0.0.1:{share.port}",
                f"localhost:{share.port}",
                f"10.1.2.3:{share.port}",
                f"[::1]:{share.port}",
            ):
                async with session.get(base, headers={"Host": host}) as response:
                    statuses.append(response.status)
        return statuses

    assert run(main()) == [404, 404, 200, 200, 200, 200]


def test_a_port_taken_on_another_interface_leaves_sharing_as_it_was(share: ShareServer) -> None:
    network = _network_address()
    url = share.start()
    blocker = socket.socket()
    try:
        blocker.bind((network, share.port))  # another program holds this port on the LAN address
        blocker.listen()
        with pytest.raises(OSError):
            share.set_lan(True)
        assert not share.lan and share.addresses == [("127.0.0.1", share.port)]

        async def main() -> int:
            async with aiohttp.ClientSession() as session, session.get(url) as response:
                return response.status

        assert run(main()) == 200
    finally:
        blocker.close()
