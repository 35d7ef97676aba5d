"""What the live share refuses: wrong tokens, other paths, methods, origins and hosts, what viewers send."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from desktop_app.core.share import ShareServer
from desktop_app.core.share.network import CSP
from tests.conftest import wait_until
from tests.share.viewer_client import next_json, origin, run


def _wrong_token(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + "A" * 32


@pytest.mark.parametrize("suffix", ["", "/", "/page.js", "/page.css", "/ws"])
def test_a_wrong_token_gets_404_for_every_file(share: ShareServer, suffix: str) -> None:
    url = share.start()

    async def main() -> tuple[int, str]:
        async with aiohttp.ClientSession() as session, session.get(_wrong_token(url) + suffix) as response:
            return response.status, await response.text()

    status, body = run(main())
    assert status == 404
    assert share.path not in body


def test_a_websocket_with_a_wrong_token_is_refused(share: ShareServer) -> None:
    url = share.start()

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(_wrong_token(url) + "/ws")
            assert refused.value.status == 404
            # A token that is a prefix of the real one is no better.
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await session.ws_connect(url[:-1] + "/ws")

    run(main())
    assert share.viewer_count == 0


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/s",
        "/s/",
        "/favicon.ico",
        "/index.html",
        "/static/",
        "/{path}/other",
        "/{path}/page.js/x",
        "/{path}/../",
    ],
)
def test_everything_but_the_token_path_is_404(share: ShareServer, path: str) -> None:
    share.start()

    async def main() -> int:
        url = origin(share) + path.format(path=share.path.strip("/"))
        async with aiohttp.ClientSession() as session, session.get(url, allow_redirects=False) as response:
            return response.status

    assert run(main()) == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
def test_only_get_is_served(share: ShareServer, method: str) -> None:
    url = share.start()

    async def main() -> int:
        async with aiohttp.ClientSession() as session, session.request(method, url) as response:
            return response.status

    assert run(main()) == 404


def test_every_response_carries_the_security_headers(share: ShareServer) -> None:
    url = share.start()
    expected_types = {
        "": "text/html",
        "/page.js": "text/javascript",
        "/page.css": "text/css",
        "/nope": "text/plain",
    }

    async def main() -> dict[str, tuple[int, Any, str]]:
        results = {}
        async with aiohttp.ClientSession() as session:
            for suffix in expected_types:
                async with session.get(url + suffix) as response:
                    results[suffix] = (response.status, response.headers.copy(), await response.text())
        return results

    results = run(main())
    for suffix, (status, headers, _body) in results.items():
        assert status == (404 if suffix == "/nope" else 200)
        assert headers["Content-Type"].startswith(expected_types[suffix])
        csp = headers["Content-Security-Policy"]
        assert csp == CSP
        for directive in (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
        ):
            assert directive in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"
    page = results[""][2]
    # No inline script or style: everything the CSP allows comes from the token path.
    assert f'<script src="{share.path}/page.js" defer></script>' in page
    assert f'<link rel="stylesheet" href="{share.path}/page.css">' in page
    assert page.count("<script") == 1 and "style=" not in page and "<style" not in page
    assert 'aria-live="polite"' in page
    assert "prefers-color-scheme: dark" in results["/page.css"][2]
    assert ".codehilite" in results["/page.css"][2]


def test_a_websocket_from_another_origin_is_refused(share: ShareServer) -> None:
    url = share.start()

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            for foreign in ("http://evil.example", "null", f"http://localhost:{share.port + 1}"):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(url + "/ws", origin=foreign)
                assert refused.value.status == 403
            async with session.ws_connect(url + "/ws", origin=origin(share)) as ws:
                assert (await next_json(ws))["type"] == "snapshot"

    run(main())


def test_a_request_for_another_host_name_is_refused(share: ShareServer) -> None:
    """A DNS-rebinding page on another name that resolves to 127.0.0.1 gets nothing."""
    url = share.start()

    async def main() -> list[int]:
        statuses = []
        async with aiohttp.ClientSession() as session:
            for host in (f"evil.example:{share.port}", f"localhost:{share.port}"):
                async with session.get(url, headers={"Host": host}) as response:
                    statuses.append(response.status)
        return statuses

    assert run(main()) == [404, 200]


def test_what_viewers_send_is_ignored_and_a_huge_message_closes_only_that_viewer(share: ShareServer) -> None:
    url = share.start()

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            rude = await session.ws_connect(url + "/ws")
            polite = await session.ws_connect(url + "/ws")
            await next_json(rude)
            await next_json(polite)
            await polite.send_str('{"type": "message", "role": "user", "html": "<script>x</script>"}')
            await rude.send_str("x" * 100_000)
            close = await rude.receive(timeout=10)
            assert close.type is aiohttp.WSMsgType.CLOSE and close.data == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
            await rude.close()
            share.add_user("still here")
            assert (await next_json(polite))["html"] == "still here"
            await wait_until(lambda: share.viewer_count == 1)
            await polite.close()

    run(main())
