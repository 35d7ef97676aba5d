"""Where the single-instance socket lives, and whose process is on the other end of it.

The socket (and the lock that guards taking it over) must live where only this user can create
files: a socket in a shared folder such as /tmp could be planted by another user before the app
starts, and every later launch would hand its requests to that user's process. So it goes in the
user's runtime directory (``$XDG_RUNTIME_DIR``: 0700 and owned by the user, by specification) or
else in the app's data folder, each used only when it is owned by this user and writable by nobody
else. And each side checks the other's user id on the connected socket, so even a socket reached
some other way never carries another user's request.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import stat
import struct
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

SOCKET_PREFIX = "copilot-desktop"
# sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included.
MAX_SOCKET_PATH = 100


def own_uid() -> int | None:
    """This process's user id; None where there are no user ids (Windows)."""
    return os.getuid() if hasattr(os, "getuid") else None


def is_private_dir(path: Path) -> bool:
    """A real directory (not a symlink), owned by this user, that no other user may write to."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == own_uid()
        and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) == 0
    )


def _private_dir(path: Path) -> Path | None:
    """``path``, created 0700 if missing, when it is private; else None."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path if is_private_dir(path) else None


def _fallback_dir() -> Path:
    """Only when no private folder above has a short enough path: a 0700 folder of this user's in
    the temp dir. If someone else made or owns it, a fresh private folder instead (this launch
    then cannot find a running instance, but never talks to another user's socket)."""
    path = Path(tempfile.gettempdir(), f"{SOCKET_PREFIX}-{own_uid()}")
    found = _private_dir(path)
    if found is not None and os.lstat(found).st_mode & 0o077 == 0:
        return found
    log.warning("%s is not a private folder of this user's: not putting the instance socket there", path)
    return Path(tempfile.mkdtemp(prefix=f"{SOCKET_PREFIX}-"))


def socket_path(data_dir: Path, environ: dict[str, str] | None = None) -> str:
    """The single-instance socket for this user and data dir: stable across runs.

    Windows names a pipe (its ACL keeps other users out). Elsewhere a full path, which Qt's local
    sockets take as it is: in ``$XDG_RUNTIME_DIR`` (named after the data dir, so ``--data-dir`` runs
    are instances of their own), else in the data folder itself.
    """
    resolved = str(data_dir.expanduser().resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    name = f"{SOCKET_PREFIX}-{digest}"
    if own_uid() is None:
        return f"{name}-{_windows_user()}"
    env = os.environ if environ is None else environ
    candidates: list[Path] = []
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):
        candidates.append(Path(runtime))
    candidates.append(Path(resolved))
    for folder in candidates:
        path = folder / f"{name}.sock"
        if len(os.fsencode(path)) > MAX_SOCKET_PATH:
            continue
        if _private_dir(folder) is not None:
            return str(path)
        log.info("Not putting the instance socket in %s: another user could write there", folder)
    return str(_fallback_dir() / f"{name}.sock")


def _windows_user() -> str:
    import getpass
    import re

    return re.sub(r"[^A-Za-z0-9_.-]", "_", getpass.getuser())[:32]


def peer_uid(descriptor: int) -> int | None:
    """The user id of the process at the other end of a connected Unix socket, or None when this
    platform cannot tell (then the caller refuses the peer). The descriptor stays open."""
    sock = socket.socket(fileno=descriptor)
    try:
        if hasattr(socket, "SO_PEERCRED"):  # Linux: struct ucred {pid, uid, gid}
            creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
            return int(struct.unpack("3i", creds)[1])
        if sys.platform == "darwin" or "bsd" in sys.platform:
            # LOCAL_PEERCRED at level SOL_LOCAL (0): struct xucred {u_int version; uid_t uid;
            # short ngroups; gid_t groups[16]}
            local_peercred = getattr(socket, "LOCAL_PEERCRED", 0x001)
            creds = sock.getsockopt(0, local_peercred, struct.calcsize("2Ih16I"))
            return int(struct.unpack_from("2I", creds)[1])
        return None
    except OSError as exc:
        log.info("Cannot read the peer's credentials: %s", exc)
        return None
    finally:
        sock.detach()  # the descriptor belongs to Qt's socket


def is_same_user(descriptor: int) -> bool:
    """True when the peer on ``descriptor`` runs as this user (always, where there are no uids)."""
    mine = own_uid()
    if mine is None:
        return True
    return peer_uid(descriptor) == mine
