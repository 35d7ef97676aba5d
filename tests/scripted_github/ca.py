"""A throw-away certificate authority (``trustme``) for the scripted GitHub.

The CLI trusts it through ``NODE_EXTRA_CA_CERTS`` (added to Node's roots, not replacing them), and the
fake browser through an ``ssl`` context of its own; nothing else on the machine does. One server
certificate covers every host the proxy lets through.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import trustme

# The hosts the scripted GitHub answers for; the proxy refuses a tunnel to any other.
HOSTS = (
    "github.com",
    "api.github.com",
    "api.githubcopilot.com",
    "telemetry.githubcopilot.com",
    "copilot-telemetry.githubusercontent.com",
)


class ScriptedCA:
    """The CA and its certificate for ``HOSTS``; ``ca_file`` is what ``NODE_EXTRA_CA_CERTS`` names."""

    def __init__(self, folder: Path, hosts: tuple[str, ...] = HOSTS) -> None:
        self._ca = trustme.CA(organization_name="Scripted GitHub (tests only)")
        self._cert = self._ca.issue_cert(*hosts)
        self.hosts = hosts
        self.ca_file = folder / "scripted-github-ca.pem"
        self._ca.cert_pem.write_to_path(str(self.ca_file))

    def server_context(self) -> ssl.SSLContext:
        """For the TLS server behind the proxy (HTTP/1.1 only: what aiohttp serves)."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._cert.configure_cert(context)
        context.set_alpn_protocols(["http/1.1"])
        return context

    def client_context(self) -> ssl.SSLContext:
        """For the fake browser: trusts this CA only."""
        context = ssl.create_default_context()
        self._ca.configure_trust(context)
        return context
