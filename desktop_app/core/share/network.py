"""This machine's addresses on its local network, for the link LAN viewers open.

Standard library only: a UDP socket "connected" to a documentation address (no packet is sent)
tells which interface carries the default route; the host name's IPv4 addresses add the rest.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket

_ROUTE_PROBE = ("192.0.2.1", 9)  # TEST-NET-1 (RFC 5737): never routed, nothing is sent


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
