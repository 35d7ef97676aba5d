"""Which host a URL really names, for domain rules, parsed as browsers and Node do (WHATWG). No Qt.

``urllib`` and a browser disagree on URLs such as ``https://evil.com\\@example.com``; a rule must
judge the host the fetch will reach, so hosts come from ``ada_url`` (the WHATWG parser Node uses).
A URL that could read one way to the user and another to the parser (backslashes, control
characters or blanks, user-info, percent-escapes in the host, a trailing dot) is never covered and
offers no rule: the user is asked again.
"""

from __future__ import annotations

import re

import ada_url

SCHEMES = ("http:", "https:")
# Backslashes, control characters and blanks (a browser drops or rewrites them before parsing).
AMBIGUOUS = re.compile(
    r"[\\\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u2060\u3000\ufeff]"
)
HOST_RE = re.compile(r"^(?:\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*)$")
AUTHORITY = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)")  # "https:////x" reads two ways


def url_host(url: str) -> str | None:
    """The ASCII (punycode), lower-case host an http(s) URL reaches; None when it is ambiguous."""
    if not url or AMBIGUOUS.search(url):
        return None
    authority = AUTHORITY.match(url)
    if authority is None or "@" in authority.group(1) or "%" in authority.group(1):
        return None
    if not ada_url.check_url(url):
        return None
    try:
        parsed = ada_url.URL(url)
    except ValueError:
        return None
    if parsed.protocol not in SCHEMES or parsed.username or parsed.password:
        return None
    host = str(parsed.hostname).lower()
    return host if HOST_RE.match(host) else None  # also no trailing dot: "example.com." is asked


def is_ip(host: str) -> bool:
    return host.startswith("[") or bool(re.fullmatch(r"[0-9.]+", host))


def host_covered(url: str, domain: str) -> bool:
    """Is the URL on ``domain`` (or, for a name, one of its subdomains)?"""
    host, domain = url_host(url), domain.lower()
    if host is None or not domain:
        return False
    if host == domain:
        return True
    return not is_ip(domain) and host.endswith("." + domain)


def domain_label(domains: tuple[str, ...]) -> str:
    """What a domain rule covers, said exactly: IP addresses match alone, names with subdomains."""
    shown = ", ".join(domains)
    if all(is_ip(d) for d in domains):
        return f"URLs on {shown}"
    return f"URLs on {shown} and its subdomains" if len(domains) == 1 else f"URLs on {shown} and subdomains"
