"""The snapshot a joining viewer is sent, serialised once per change rather than once per viewer.

A snapshot is the whole conversation as HTML: tens of kilobytes to megabytes of JSON. When many
viewers join at once (a link pasted into a meeting chat, every page reconnecting after a network
blip), serialising it for each one would stall the server thread that also streams replies; so it
is built once and shared until what viewers see changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


class SnapshotCache:
    """Serialised snapshots keyed by a change counter; server thread only."""

    def __init__(self) -> None:
        self._changes = 0
        self._built_at = -1
        self._data = ""
        self.builds = 0  # how many times a snapshot was serialised (for tests and logs)

    def changed(self) -> None:
        """What viewers see has changed: the next joiner needs a new snapshot."""
        self._changes += 1

    def get(self, build: Callable[[], dict[str, Any]]) -> str:
        """The current snapshot as JSON text, built by ``build`` only if something changed."""
        if self._built_at != self._changes:
            self._data = json.dumps(build(), ensure_ascii=False)
            self._built_at = self._changes
            self.builds += 1
        return self._data
