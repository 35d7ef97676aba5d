"""Which file a request really touches, for path rules: real paths, symlinks resolved. No Qt.

A rule for ``/proj`` must not answer ``/proj/../etc/passwd`` or ``/proj/link/passwd`` where ``link``
points at ``/etc``, so both sides are compared as ``os.path.realpath`` gives them. A scope as broad
as ``/``, the home folder or an ancestor of it is never offered, and a kept one never covers.
"""

from __future__ import annotations

import os


def real_path(path: str) -> str | None:
    """The absolute path with symlinks resolved; None for a relative or unreadable one."""
    if not path or not os.path.isabs(path) or "\x00" in path:
        return None
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return None


def _home() -> str | None:
    home = os.path.expanduser("~")
    return real_path(home) if home != "~" else None


def too_broad(path: str) -> bool:
    """``/``, the home folder, or a folder holding it: a rule this wide would cover everything."""
    real = real_path(path)
    if real is None or real == os.path.sep or os.path.dirname(real) == real:
        return True
    home = _home()
    return home is not None and _contains(real, home)


def _contains(folder: str, path: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives
        return False


def inside(path: str, folder: str) -> bool:
    """Is ``path`` the folder or in it, once both are real paths? Never for a too-broad folder."""
    real, real_folder = real_path(path), real_path(folder)
    if real is None or real_folder is None or too_broad(real_folder):
        return False
    return _contains(real_folder, real)


def path_scopes(path: str) -> list[str]:
    """The scopes offered for a request on ``path``: its folder, then the path itself, as real paths,
    leaving out any that would be too broad."""
    real = real_path(path)
    if real is None:
        return []
    folder = os.path.dirname(real)
    return [p for p in dict.fromkeys((folder, real)) if p and not too_broad(p)]
