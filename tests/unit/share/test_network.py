"""What may reach the share page: the method, the Host header, the token and path, the Origin."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from desktop_app.core.share.network import (
    CSP,
    SECURITY_HEADERS,
    add_security_headers,
    bind_host,
    host_allowed,
    is_loopback,
    names_an_address,
    origin_allowed,
    page_file,
)

TOKEN = "t0kenT0ken_-t0ken"
PORT = 8765
HOST = f"127.0.0.1:{PORT}"


def asked(
    path: str, *, method: str = "GET", host: str = HOST, token: str = TOKEN, lan: bool = False
) -> str | None:
    return page_file(method, host, path, token=token, port=PORT, lan=lan)


@pytest.mark.parametrize(
    ("suffix", "file"),
    [("", ""), ("/", ""), ("/page.js", "page.js"), ("/page.css", "page.css"), ("/ws", "ws")],
)
def test_the_page_and_its_files_are_served_on_the_token_path(suffix: str, file: str) -> None:
    assert asked(f"/s/{TOKEN}{suffix}") == file
    assert asked(f"/s/{TOKEN}{suffix}", method="HEAD") == file


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/s",
        "/s/",
        "/favicon.ico",
        f"/{TOKEN}",
        f"/s/{TOKEN}/other",
        f"/s/{TOKEN}/page.js/x",
        f"/s/{TOKEN}/../",
        f"/s/{TOKEN[:-1]}",  # a prefix of the token is no better than a wrong one
        f"/s/{TOKEN}x",
        "/s/" + "A" * len(TOKEN),
    ],
)
def test_everything_else_is_nothing(path: str) -> None:
    assert asked(path) is None


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
def test_only_get_and_head_are_served(method: str) -> None:
    assert asked(f"/s/{TOKEN}", method=method) is None


def test_without_a_token_nothing_is_served() -> None:
    assert asked("/s/", token="") is None
    assert asked("/s//ws", token="") is None


@pytest.mark.parametrize(
    ("host", "loopback_only", "lan"),
    [
        (HOST, True, True),
        (f"localhost:{PORT}", True, True),
        (f"127.0.0.1:{PORT + 1}", False, True),  # another port: not this server's link
        (f"10.1.2.3:{PORT}", False, True),
        (f"[::1]:{PORT}", False, True),
        (f"evil.example:{PORT}", False, False),  # DNS rebinding: a name that resolves here
        ("evil.example", False, False),
        (f"127.0.0.1.evil.example:{PORT}", False, False),
    ],
)
def test_the_host_must_be_this_machine_or_with_lan_any_address(
    host: str, loopback_only: bool, lan: bool
) -> None:
    assert host_allowed(host, PORT, lan=False) is loopback_only
    assert host_allowed(host, PORT, lan=True) is lan
    assert (asked(f"/s/{TOKEN}", host=host) == "") is loopback_only
    assert (asked(f"/s/{TOKEN}", host=host, lan=True) == "") is lan


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost", True),
        ("localhost:80", True),
        ("192.168.1.5:80", True),
        ("[fe80::1]:80", True),
        ("[::1]", True),
        ("example.com", False),
        ("example.com:80", False),
        ("", False),
    ],
)
def test_names_an_address(host: str, expected: bool) -> None:
    assert names_an_address(host) is expected


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        (None, True),  # not a browser page: nothing to forge
        (f"http://{HOST}", True),
        ("http://evil.example", False),
        ("null", False),
        (f"http://localhost:{PORT}", False),  # the page's own origin is the host it was loaded from
        (f"https://{HOST}", False),
        (f"http://127.0.0.1:{PORT + 1}", False),
    ],
)
def test_a_websocket_is_taken_only_from_the_page_itself(origin: str | None, expected: bool) -> None:
    assert origin_allowed(origin, HOST) is expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("10.0.0.2", False),
        (None, False),
        ("x", False),
    ],
)
def test_loopback_peers_are_this_machine(address: str | None, expected: bool) -> None:
    assert is_loopback(address) is expected


def test_only_lan_sharing_binds_every_interface() -> None:
    assert bind_host(False) == "127.0.0.1"
    assert bind_host(True) == "0.0.0.0"


def test_every_response_gets_the_security_headers() -> None:
    response = web.Response(text="x")
    asyncio.run(add_security_headers(make_mocked_request("GET", "/"), response))
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["Content-Security-Policy"] == CSP
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in CSP
    assert "unsafe-inline" not in CSP
    assert response.headers["Referrer-Policy"] == "no-referrer"
