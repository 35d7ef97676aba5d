"""Code fences as the renderer (pymdownx.superfences) sees them, shared by every stream parser.

Opening: three or more backticks or tildes, possibly indented (a fence inside a list item or a
quote). Closing: the same fence, with the same indentation, alone on its line.
"""

from __future__ import annotations

import re

OPEN_RE = re.compile(r"^([ \t]*(?:>[ \t]?)*)(`{3,}|~{3,})")


def opening(line: str) -> str | None:
    """The fence a line opens (its indentation or quote prefix included), else ``None``."""
    match = OPEN_RE.match(line)
    return match.group(1) + match.group(2) if match else None


def closes(line: str, fence: str) -> bool:
    return line.rstrip(" \t\r") == fence
