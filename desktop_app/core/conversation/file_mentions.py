"""``@file`` in Agent mode: the mention being typed, and the files under the working folder that
complete it. No Qt.

The walk is bounded, since the folder may be a home directory or a monorepo: hidden entries (``.git``
among them) and dependency or build folders are skipped, symbolic links are never followed (nor listed:
one may point out of the folder), and it stops at ``MAX_DEPTH`` levels, ``MAX_VISITED`` entries or
``TIME_BUDGET_S``, whichever comes first.
"""

from __future__ import annotations

import os
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", "dist", "build", "target", "site-packages"})
MAX_DEPTH = 6  # folder levels below the working folder
MAX_VISITED = 20_000  # directory entries looked at, at most
TIME_BUDGET_S = 0.25
MAX_RESULTS = 50

_MENTION = re.compile(r"(?:^|(?<=\s))@([^\s@]*)$")


@dataclass(frozen=True)
class Mention:
    """``@prefix`` ending at the cursor: ``start`` is where the ``@`` is."""

    start: int
    prefix: str


def mention_at(text: str, cursor: int) -> Mention | None:
    """The ``@`` mention the cursor ends, or None (``@`` inside a word, as in an e-mail address, is not
    one)."""
    found = _MENTION.search(text[: max(0, cursor)])
    if found is None:
        return None
    return Mention(found.start(), found.group(1))


def _skipped(entry: os.DirEntry[str]) -> bool:
    return entry.name.startswith(".") or entry.name in SKIPPED_DIRS


def files_under(
    root: Path, prefix: str, limit: int = MAX_RESULTS, clock: Callable[[], float] = time.monotonic
) -> list[str]:
    """Relative paths (``/``-separated) of files under ``root`` whose path contains ``prefix``."""
    return matching_files(list_files(root, clock), prefix, limit)


def matching_files(files: list[str], prefix: str, limit: int = MAX_RESULTS) -> list[str]:
    """Those of ``files`` whose path contains ``prefix`` (any case): those whose name or path starts
    with it first, then shallow before deep, then by path."""
    wanted = prefix.lower().replace("\\", "/")
    ranked = []
    for path in files:
        lowered = path.lower()
        if wanted in lowered:
            name = lowered.rpartition("/")[2]
            first = 0 if name.startswith(wanted) or lowered.startswith(wanted) else 1
            ranked.append((first, path.count("/"), lowered, path))
    ranked.sort()
    return [path for *_, path in ranked[:limit]]


def list_files(root: Path, clock: Callable[[], float] = time.monotonic) -> list[str]:
    """Every file under ``root`` the walk reaches within its bounds, as ``/``-separated relative paths
    (read once when a mention starts; typing then filters these)."""
    found: list[str] = []
    deadline = clock() + TIME_BUDGET_S
    visited = 0
    queue: deque[tuple[str, int]] = deque([("", 0)])  # breadth first: near files even when cut short
    while queue and visited < MAX_VISITED and clock() < deadline:
        relative, depth = queue.popleft()
        try:
            with os.scandir(root / relative) as entries:
                listed = sorted(entries, key=lambda e: e.name.lower())
        except OSError:
            continue
        for entry in listed:
            visited += 1
            if _skipped(entry) or entry.is_symlink():
                continue
            path = f"{relative}/{entry.name}" if relative else entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if depth + 1 < MAX_DEPTH:
                    queue.append((path, depth + 1))
                continue
            found.append(path)
    return found


def inside(root: Path, relative: str) -> Path | None:
    """``root / relative`` if it is a file that really lies under ``root`` (no ``..``, no link out)."""
    try:
        base = root.resolve(strict=True)
        path = (root / relative).resolve(strict=True)
    except OSError:
        return None
    return path if path.is_file() and path.is_relative_to(base) else None
