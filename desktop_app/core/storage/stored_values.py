"""Values read back from SQLite, made the kinds the store's models promise.

SQLite keeps whatever a row was given (text in a REAL column, a blob in a TEXT one), so a row written
by another tool, an older bug or a damaged file could otherwise break every reader of the store: the
sidebar, "export all", the window. A value of the wrong kind is replaced by a harmless one (and
logged once per read), so one bad row never hides the others; a time is kept in the range imports
accept, so what is exported imports again.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from desktop_app.core.vocabulary.access import Mode
from desktop_app.core.vocabulary.unicode_text import valid_unicode

# 1970 rather than 2000: the app itself stores 0 for "time unknown" (a CLI session without a start
# time), and whatever the app exports must import again.
MIN_TIME = 0.0
MAX_TIME = datetime(2100, 1, 1, tzinfo=UTC).timestamp()
MODES = tuple(mode.value for mode in Mode)  # the one list, in core.vocabulary.access

log = logging.getLogger(__name__)

_E = TypeVar("_E", bound=StrEnum)


def _odd(what: str, value: Any) -> None:
    log.warning("Stored %s has an unexpected value %.60r; using a default", what, value)


def text(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    _odd(what, value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def optional_text(value: Any, what: str) -> str | None:
    return None if value is None else text(value, what)


def time(value: Any, what: str) -> float:
    """A finite number in [MIN_TIME, MAX_TIME] (what ``datetime.fromtimestamp`` shows anywhere)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        if MIN_TIME <= value <= MAX_TIME:
            return float(value)
        _odd(what, value)
        return min(max(float(value), MIN_TIME), MAX_TIME)
    _odd(what, value)
    return MIN_TIME


def optional_time(value: Any, what: str) -> float | None:
    return None if value is None else time(value, what)


def number(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    _odd(what, value)
    return None


def integer(value: Any, what: str) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    _odd(what, value)
    return None


def count(value: Any, what: str) -> int:
    """A non-negative integer (a seq or an offset)."""
    found = integer(value, what)
    return found if found is not None and found >= 0 else 0


def flag(value: Any, what: str) -> bool:
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    _odd(what, value)
    return False


def choice(kind: type[_E], value: Any, default: _E, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        _odd(what, value)
        return default


def mode(value: Any, what: str) -> str:
    """A known mode; anything else is Chat (no tools), as the service would treat it anyway."""
    if value in MODES:
        return str(value)
    _odd(what, value)
    return MODES[0]


def files(value: Any, what: str) -> tuple[str, ...]:
    """A tool call's changed files, kept as a JSON list of strings."""
    try:
        found = json.loads(value) if isinstance(value, str | bytes) else None
    except ValueError:
        found = None
    if isinstance(found, list) and all(isinstance(f, str) for f in found):
        return tuple(found)
    _odd(what, value)
    return ()


def storable(value: Any) -> Any:
    """A value as SQLite can keep it: text with a lone surrogate would fail the write (and with it
    the reply's saving), so it is made valid Unicode (``valid_unicode``); anything else is as it was."""
    return valid_unicode(value) if isinstance(value, str) else value
