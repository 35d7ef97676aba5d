"""What a chat window is doing and what its banner says, as types rather than strings. No Qt.

The controller decides (``Phase``, ``Notice``); the window shows it. A kind picks the banner's buttons,
so a misspelt kind would silently lose them: an enum cannot be misspelt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    """Whether the window can send, and if not, why."""

    STARTING = "starting"
    READY = "ready"
    NEEDS_SIGN_IN = "needs_sign_in"
    NEEDS_ENDPOINT = "needs_endpoint"
    FAILED = "failed"


class NoticeKind(StrEnum):
    """What a banner notice is about; the window gives each kind its buttons."""

    STARTING = "starting"
    READY = "ready"
    SIGN_IN = "sign_in"  # Re-check, Use a model endpoint…, Try the demo
    ENDPOINT = "endpoint"  # Settings…
    FAILED = "failed"  # Retry, Settings…
    RETRYING = "retrying"  # Stop
    ERROR = "error"  # Dismiss
    INTERRUPTED = "interrupted"  # Retry
    RESUME_FAILED = "resume_failed"  # Continue in a new session
    CLEAR = "clear"  # the banner goes


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Notice:
    """What the banner should say; ``kind`` picks its buttons."""

    kind: NoticeKind
    text: str
    level: Level = Level.INFO
