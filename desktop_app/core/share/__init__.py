"""Live share: a chat window served read-only to browsers on this machine (or the LAN, when asked)."""

from __future__ import annotations

from desktop_app.core.share.server import ShareServer

__all__ = ["ShareServer"]
