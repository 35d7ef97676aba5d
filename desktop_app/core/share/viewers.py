"""The browsers watching a share: one queue per viewer, coalesced, and at most ``MAX_VIEWERS`` of them.

Each viewer has its own queue and its own sender task: a viewer that reads slowly (or not at all)
falls behind alone, and never holds up the window or the other viewers.

Every viewer costs the server thread a queue, a sender task and a copy of each update; an unguessable
link can still be forwarded widely, so a share takes at most ``MAX_VIEWERS``. The one over the limit
is accepted as a WebSocket and closed at once with ``CLOSE_FULL`` and a reason the page shows (a
refused HTTP upgrade would reach the page only as "connection failed"); the page tries again later.
"""

from __future__ import annotations

import enum
from collections import deque

MAX_VIEWERS = 32
DEFAULT_LIMIT = 100  # messages a viewer may be behind (after coalescing) before it is disconnected
CLOSE_FULL = 4002  # the page shows the reason and retries slowly


def full_reason(limit: int) -> bytes:
    """The close reason (at most 123 bytes, as a WebSocket close frame allows)."""
    return f"This share already has {limit} viewers, its limit. Trying again shortly.".encode()


class Kind(enum.Enum):
    SNAPSHOT = "snapshot"  # the whole page: whatever was queued before it is moot
    MESSAGE = "message"  # a user message, notice or title: must be delivered in order
    PARTIAL = "partial"  # the streaming reply so far: a newer one makes it moot
    FINAL = "final"  # the completed reply: supersedes a queued partial one


class ViewerQueue:
    """A bounded FIFO of serialised messages with coalescing by kind; used on one event loop."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._items: deque[tuple[Kind, str]] = deque()

    def __len__(self) -> int:
        return len(self._items)

    def put(self, kind: Kind, data: str) -> bool:
        """Queue ``data``; False when the viewer is over the limit even after coalescing."""
        if kind is Kind.SNAPSHOT:
            self._items.clear()
        elif kind in (Kind.PARTIAL, Kind.FINAL) and self._items and self._items[-1][0] is Kind.PARTIAL:
            # A reply is always the last thing queued while it streams: the newer state replaces it.
            self._items.pop()
        self._items.append((kind, data))
        return len(self._items) <= self.limit

    def pop(self) -> str | None:
        return self._items.popleft()[1] if self._items else None

    def clear(self) -> None:
        self._items.clear()
