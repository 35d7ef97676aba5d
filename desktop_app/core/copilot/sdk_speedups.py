"""Running the SDK on a thread beside the screen's costs the screen GIL time; two of those costs.

- **Timestamps.** The SDK parses every event's timestamp with ``dateutil`` (48 µs each, pure
  Python, holding the GIL). The CLI writes ISO 8601, which ``datetime.fromisoformat`` parses in
  0.1 µs; anything it cannot parse still goes to the SDK's own parser, so nothing is lost.
- **The switch interval**, shortened (see ``core/platform/gil``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from desktop_app.core.platform import gil


def install() -> None:
    """Once, when the SDK's thread starts."""
    gil.share_finely()
    fast_event_timestamps()


def fast_event_timestamps() -> bool:
    """Parse the SDK's event timestamps with ``datetime``; False if this SDK has no such hook."""
    try:
        from copilot.generated import session_events
    except ImportError:  # pragma: no cover - the SDK is a dependency
        return False
    original = getattr(session_events, "from_datetime", None)
    if original is None or getattr(original, "fast", False):
        return original is not None
    session_events.from_datetime = iso_or(original)  # type: ignore[assignment]
    return True


def iso_or(original: Callable[[Any], datetime]) -> Callable[[Any], datetime]:
    """``datetime.fromisoformat``, falling back to ``original`` for what it does not take."""

    def from_datetime(value: Any) -> datetime:
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                if parsed.tzinfo is not None:
                    return parsed
        return original(value)

    from_datetime.fast = True  # type: ignore[attr-defined]
    return from_datetime
