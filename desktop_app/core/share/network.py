"""Who may reach the share page, and on which of this machine's addresses.

Only ``/s/<token>`` (and the page's own files under it) exist; everything else, a wrong token
included, is a plain 404 that tells nothing. Only 127.0.0.1 is bound unless LAN sharing is asked
for, and a Host header must name an address (never a name a DNS server controls, so a page on
another site cannot rebind its name to this machine). Every response carries a strict CSP (no inline
script or style) and the WebSocket refuses other origins. These checks are pure functions of the
request's parts, so they are tested without a server.

The LAN addresses come from the standard library only: a UDP socket "connected" to a documentation
address (no packet is sent) tells which interface carries the default route; the host name's IPv4
addresses add the rest.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import socket

from aiohttp import hdrs, web

LOOPBACK = "127.0.0.1"
EVERY_INTERFACE = "0.0.0.0"
PATH_PREFIX = "/s/"
PAGE_FILES = frozenset({"", "page.js", "page.css", "ws"})  # "" is the page itself, "ws" its socket

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never hand it to another site
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}

_ROUTE_PROBE = ("192.0.2.1", 9)  # TEST-NET-1 (RFC 5737): never routed, nothing is sent


def bind_host(lan: bool) -> str:
    """The address to listen on: every interface for LAN sharing, else this machine only."""
    return EVERY_INTERFACE if lan else LOOPBACK


def lan_addresses() -> list[str]:
    """IPv4 addresses other devices may reach this machine on, the default route's first."""
    found: list[str] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(_ROUTE_PROBE)
        found.append(str(probe.getsockname()[0]))
    with contextlib.suppress(OSError):
        for *_, sockaddr in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(sockaddr[0]))
    usable: list[str] = []
    for text in found:
        ip = ipaddress.ip_address(text)
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local) and text not in usable:
            usable.append(text)
    return usable


def is_loopback(address: str | None) -> bool:
    """``address`` (a peer's) is this machine: its viewer stays when LAN sharing ends."""
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def names_an_address(host: str) -> bool:
    """``host`` (a Host header) is an IP literal or localhost, never a name a DNS server controls."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.strip("[]")
    if name == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(host: str, port: int, lan: bool) -> bool:
    """A Host header the page may be served to (DNS rebinding: a page on a name resolving here)."""
    if not lan and host not in (f"{LOOPBACK}:{port}", f"localhost:{port}"):
        return False
    return names_an_address(host)


def page_file(method: str, host: str, path: str, *, token: str, port: int, lan: bool) -> str | None:
    """Which of the page's files a request asks for (one of ``PAGE_FILES``), or None: a 404."""
    if method not in (hdrs.METH_GET, hdrs.METH_HEAD):
        return None
    if not host_allowed(host, port, lan):
        return None
    if not path.startswith(PATH_PREFIX) or not token:
        return None
    asked, _, rest = path[len(PATH_PREFIX) :].partition("/")
    if not hmac.compare_digest(asked.encode(), token.encode()):
        return None
    return rest if rest in PAGE_FILES else None


def origin_allowed(origin: str | None, host: str) -> bool:
    """A WebSocket's Origin is the page's own (or absent): not another site's page in the browser."""
    return origin is None or origin == f"http://{host}"


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """aiohttp's ``on_response_prepare`` hook: every response, a 404 included, gets them."""
    response.headers.update(SECURITY_HEADERS)
