"""How many browsers may watch one share, and what the one over the limit is told.

Every viewer costs the server thread a queue, a sender task and a copy of each update; an unguessable
link can still be forwarded widely, so a share takes at most ``MAX_VIEWERS``. The one over the limit
is accepted as a WebSocket and closed at once with ``CLOSE_FULL`` and a reason the page shows (a
refused HTTP upgrade would reach the page only as "connection failed"); the page tries again later.
"""

from __future__ import annotations

MAX_VIEWERS = 32
CLOSE_FULL = 4002  # the page shows the reason and retries slowly


def full_reason(limit: int) -> bytes:
    """The close reason (at most 123 bytes, as a WebSocket close frame allows)."""
    return f"This share already has {limit} viewers, its limit. Trying again shortly.".encode()
