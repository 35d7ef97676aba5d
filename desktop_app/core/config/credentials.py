"""The endpoint API key: the system keyring where there is one, else a file only the user can read.

The key never goes to logs; ``redact`` is what code uses to mention one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

KEYRING_SERVICE = "copilot-desktop"
KEYRING_USER = "endpoint-api-key"
KEY_FILE = "endpoint-api-key"


def redact(secret: str | None) -> str:
    """How a secret may appear in a log or message."""
    if not secret:
        return "(none)"
    return f"(set, {len(secret)} chars)"


class SecretStore(Protocol):
    description: str

    def get(self) -> str | None: ...

    def set(self, value: str) -> None: ...

    def delete(self) -> None: ...


class UnsafeKeyFileError(OSError):
    """The key file is a symlink, not a regular file, or someone else's: it is neither read nor written."""


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # Windows has none (and no symlinks planted by other users)
_BINARY = getattr(os, "O_BINARY", 0)


class FileSecretStore:
    """A 0600 file: the fallback where no keyring exists, and the store under ``--data-dir``.

    It is 0600 from the moment it exists (written to a new file created 0600, then renamed over the
    old one), and neither reading nor writing follows a symlink at its path: a link planted there
    would otherwise send the key to a file of the planter's choosing, or read theirs as ours.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / KEY_FILE
        self.description = f"a file readable only by you ({self.path})"

    def get(self) -> str | None:
        try:
            fd = os.open(self.path, os.O_RDONLY | _NOFOLLOW | _BINARY)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if self.path.is_symlink():
                raise UnsafeKeyFileError(
                    f"{self.path} is a symbolic link: not reading a key from it"
                ) from exc
            raise
        try:
            info = os.fstat(fd)
            self._check(info)
        except BaseException:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as handle:
            if info.st_mode & 0o077 and hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), 0o600)  # an older version's looser file
            value = handle.read().decode("utf-8").strip()
        return value or None

    def _check(self, info: os.stat_result) -> None:
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeKeyFileError(f"{self.path} is not a regular file: not using it for the key")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise UnsafeKeyFileError(f"{self.path} belongs to another user: not using it for the key")

    def set(self, value: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self._check(os.lstat(self.path))  # a symlink (or a directory) is refused, not replaced
        import secrets  # here: start-up does not pay for it and hmac (~2 ms)

        tmp = self.path.with_name(f".{KEY_FILE}-{secrets.token_hex(8)}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY
        fd = os.open(tmp, flags, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                if hasattr(os, "fchmod"):
                    os.fchmod(handle.fileno(), 0o600)  # whatever the umask let through
                handle.write(value.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)  # unlinks a symlink itself, never its target


class KeyringSecretStore:
    """The system keyring (Secret Service, macOS Keychain, Windows Credential Locker)."""

    description = "the system keyring"

    def get(self) -> str | None:
        import keyring

        value: str | None = keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
        return value

    def set(self, value: str) -> None:
        import keyring

        keyring.set_password(KEYRING_SERVICE, KEYRING_USER, value)

    def delete(self) -> None:
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, KEYRING_USER)


def keyring_usable() -> bool:
    """True when a real (not fail/plaintext) keyring backend is available."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration is 'no keyring'
        return False
    name = type(backend).__module__ + "." + type(backend).__name__
    if isinstance(backend, fail.Keyring) or "plaintext" in name.lower() or "null" in name.lower():
        return False
    priority = getattr(backend, "priority", 0)
    return bool(priority and priority > 0)


def open_secret_store(config_dir: Path, *, confined: bool) -> SecretStore:
    """Pick the store: never the keyring when everything must stay under ``--data-dir``."""
    if not confined and keyring_usable():
        return KeyringSecretStore()
    return FileSecretStore(config_dir)


def resolve_api_key(store: SecretStore, env_var: str) -> str | None:
    """The key from ``--api-key-env``'s variable if named and set, else from the store."""
    if env_var:
        value = os.environ.get(env_var)
        if value:
            return value
    try:
        return store.get()
    except Exception as exc:  # a locked or broken keyring must not stop the app
        log.warning("Could not read the API key from %s: %s", store.description, type(exc).__name__)
        return None
