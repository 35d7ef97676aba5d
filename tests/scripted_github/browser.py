"""The user's browser, as far as signing in needs one: it opens GitHub's authorize page (through the
scripted GitHub's proxy, trusting its CA only), and follows GitHub's redirect to the CLI's loopback
callback directly, as a browser does for 127.0.0.1. It never goes anywhere else.
"""

from __future__ import annotations

import ssl
import urllib.parse
from collections.abc import Collection
from dataclasses import dataclass

import aiohttp

REDIRECTS = (301, 302, 303, 307, 308)
TIMEOUT = aiohttp.ClientTimeout(total=60)


@dataclass(frozen=True)
class BrowserVisit:
    """What the browser ended on: ``status`` and ``text`` of the last page (the CLI's callback page
    after a redirect), ``callback`` the loopback URL GitHub redirected to (None: no redirect)."""

    url: str
    status: int
    text: str
    callback: str | None = None


class BrowseRefusedError(ValueError):
    """A URL the scripted browser will not open: it would leave the machine."""


def is_loopback(url: str) -> bool:
    parsed = urllib.parse.urlsplit(url)
    return parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost")


async def visit(url: str, hosts: Collection[str], proxy_url: str, trust: ssl.SSLContext) -> BrowserVisit:
    """Open ``url`` (an https URL on one of ``hosts``) and follow one redirect to a loopback page."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme != "https" or (parsed.hostname or "") not in hosts:
        raise BrowseRefusedError(f"the scripted browser only opens the scripted GitHub, not {url!r}")
    async with aiohttp.ClientSession(trust_env=False, timeout=TIMEOUT) as http:
        async with http.get(url, proxy=proxy_url, ssl=trust, allow_redirects=False) as page:
            if page.status not in REDIRECTS:
                return BrowserVisit(url, page.status, await page.text())
            location = urllib.parse.urljoin(url, page.headers.get("Location", ""))
        if not is_loopback(location):
            raise BrowseRefusedError(f"GitHub redirected off the machine: {location!r}")
        async with http.get(location, allow_redirects=False) as callback:
            return BrowserVisit(url, callback.status, await callback.text(), location)
