"""Code fences exactly as Python-Markdown's ``fenced_code`` sees them, shared by every stream parser.

Opening: three or more backticks or tildes at the start of a line. Closing: the very same fence,
alone on its line (Python-Markdown does not close on a longer or indented fence).
"""

from __future__ import annotations

import re

OPEN_RE = re.compile(r"^(`{3,}|~{3,})")


def opening(line: str) -> str | None:
    match = OPEN_RE.match(line)
    return match.group(1) if match else None


def closes(line: str, fence: str) -> bool:
    return line.rstrip(" \t\r") == fence
