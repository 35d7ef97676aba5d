"""The endpoint API key: the system keyring where there is one, else a file only the user can read.

The key never goes to logs; ``redact`` is what code uses to mention one.
"""

from __future__ import annotations

import contextlib
import logging
import os
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


class FileSecretStore:
    """A 0600 file: the fallback where no keyring exists, and the store under ``--data-dir``."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / KEY_FILE
        self.description = f"a file readable only by you ({self.path})"

    def get(self) -> str | None:
        try:
            value = self.path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return value or None

    def set(self, value: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(value)
        os.chmod(self.path, 0o600)

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)


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
