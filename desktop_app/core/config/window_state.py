"""Which chat windows were open, and where, so the next start can bring them back.

Stored as ``windows.json`` in the config dir. The data is only a convenience: a bad entry is dropped
on its own, and a file that cannot be parsed at all is kept aside (like ``settings.json``) so a newer
version's file, or anything the user edited by hand, is never overwritten unseen.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

WINDOWS_FILE = "windows.json"
VERSION = 1
MAX_WINDOWS = 20  # more than anyone keeps open; a runaway list must not open a wall of windows
MIN_SIZE = 200
MAX_SIZE = 20_000
MAX_COORDINATE = 100_000  # beyond any desktop; such a position is garbage, not an off-screen monitor


@dataclass(frozen=True)
class WindowState:
    """One window: its conversation (``None``: a new, empty chat), geometry and tool panel."""

    conversation_id: str | None
    x: int
    y: int
    width: int
    height: int
    maximized: bool = False
    tool_panel: bool | None = None  # None: shown automatically when the conversation uses tools

    def to_json(self) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "x": self.x,
            "y": self.y,
            "width": self.width,
            "height": self.height,
            "maximized": self.maximized,
            "tool_panel": self.tool_panel,
        }

    @classmethod
    def from_json(cls, data: Any) -> WindowState | None:
        """The entry, or ``None`` when it is not one we can trust (it is then skipped, not fatal)."""
        if not isinstance(data, dict):
            return None
        conversation_id = data.get("conversation_id")
        if conversation_id is not None and not (isinstance(conversation_id, str) and conversation_id):
            return None
        x, y, width, height = (data.get(key) for key in ("x", "y", "width", "height"))
        maximized = data.get("maximized", False)
        tool_panel = data.get("tool_panel")
        if not (_is_int(x) and _is_int(y) and _is_int(width) and _is_int(height)):
            return None
        if not isinstance(maximized, bool) or not (tool_panel is None or isinstance(tool_panel, bool)):
            return None
        state = cls(conversation_id, x, y, width, height, maximized, tool_panel)
        return state if state.plausible else None

    @property
    def plausible(self) -> bool:
        """False for sizes or positions no real window has (a corrupted or hand-mangled entry)."""
        return (
            MIN_SIZE <= self.width <= MAX_SIZE
            and MIN_SIZE <= self.height <= MAX_SIZE
            and abs(self.x) <= MAX_COORDINATE
            and abs(self.y) <= MAX_COORDINATE
        )


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not a coordinate


def _tidy(windows: list[WindowState]) -> list[WindowState]:
    """Plausible entries, a conversation in at most one window (the first), at most MAX_WINDOWS."""
    seen: set[str] = set()
    kept: list[WindowState] = []
    for window in windows:
        if not window.plausible:
            continue
        if window.conversation_id is not None:
            if window.conversation_id in seen:
                continue
            seen.add(window.conversation_id)
        kept.append(window)
        if len(kept) == MAX_WINDOWS:
            break
    return kept


def _parse(data: Any) -> list[WindowState]:
    """The file's windows; raises ValueError only when the file as a whole is not ours to read."""
    if not isinstance(data, dict):
        raise ValueError("window list does not hold a JSON object")
    version = data.get("version")
    if not _is_int(version) or version < 1:
        raise ValueError("window list has no valid version")
    entries = data.get("windows")
    if not isinstance(entries, list):
        raise ValueError("window list has no list of windows")
    # A newer version only adds fields (ignored here), so its windows are still read.
    return _tidy([state for entry in entries if (state := WindowState.from_json(entry)) is not None])


def load_windows(config_dir: Path) -> tuple[list[WindowState], str | None]:
    """The windows to restore, plus a message for the user when the file could not be used.

    Never raises: losing the window layout must not stop the app from starting. A broken file is
    renamed aside rather than overwritten by the next save.
    """
    path = config_dir / WINDOWS_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], None
    except OSError as exc:
        return [], f"Could not read {path}: {exc.strerror}. Windows from last time were not restored."
    try:
        return _parse(json.loads(raw.decode("utf-8"))), None
    except (ValueError, TypeError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        aside = path.with_suffix(".broken.json")
        try:
            path.replace(aside)
        except OSError:
            aside = path
        return [], f"Window list was unreadable ({exc}); kept it as {aside} and opened a new window."


def save_windows(config_dir: Path, windows: list[WindowState]) -> None:
    """Write atomically (temp file, then rename) so a crash mid-write never leaves a half file."""
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / WINDOWS_FILE
    data = {"version": VERSION, "windows": [window.to_json() for window in _tidy(windows)]}
    fd, tmp = tempfile.mkstemp(dir=config_dir, prefix=".windows-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
