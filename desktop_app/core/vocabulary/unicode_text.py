"""Text that is valid Unicode, whatever JSON brought in.

JSON from a model or a tool may carry a lone surrogate (``"\\ud800"``). Python keeps it, but
neither UTF-8 (SQLite) nor the sanitizer (Rust) can take it; it becomes U+FFFD.
"""

from __future__ import annotations

import re

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (the same string if it has none)."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text
