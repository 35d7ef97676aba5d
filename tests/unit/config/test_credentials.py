"""The API key store: a 0600 file, redaction, and where the key comes from."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from desktop_app.core.config import credentials
from desktop_app.core.config.credentials import (
    KEY_FILE,
    FileSecretStore,
    KeyringSecretStore,
    open_secret_store,
    redact,
    resolve_api_key,
)

SECRET = "sk-test-0123456789abcdef"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_file_store_round_trip(tmp_path: Path) -> None:
    store = FileSecretStore(tmp_path / "config")
    assert store.get() is None
    store.set(SECRET)
    assert store.get() == SECRET
    assert store.path == tmp_path / "config" / KEY_FILE
    assert str(store.path) in store.description


def test_file_store_writes_mode_0600(tmp_path: Path) -> None:
    store = FileSecretStore(tmp_path)
    store.set(SECRET)
    assert mode_of(store.path) == 0o600


def test_file_store_tightens_an_existing_loose_file(tmp_path: Path) -> None:
    path = tmp_path / KEY_FILE
    path.write_text("old-key-that-was-much-longer-than-the-new-one")
    path.chmod(0o644)
    store = FileSecretStore(tmp_path)
    store.set(SECRET)
    assert mode_of(path) == 0o600
    assert store.get() == SECRET  # truncated, not overwritten in place


def test_file_store_mode_does_not_depend_on_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        FileSecretStore(tmp_path).set(SECRET)
    finally:
        os.umask(old)
    assert mode_of(tmp_path / KEY_FILE) == 0o600


def test_file_store_get_strips_whitespace_and_treats_blank_as_none(tmp_path: Path) -> None:
    store = FileSecretStore(tmp_path)
    store.path.write_text(f"  {SECRET}\n")
    assert store.get() == SECRET
    store.path.write_text("\n  \n")
    assert store.get() is None


def test_file_store_delete(tmp_path: Path) -> None:
    store = FileSecretStore(tmp_path)
    store.set(SECRET)
    store.delete()
    assert not store.path.exists()
    assert store.get() is None
    store.delete()  # deleting twice is fine


@pytest.mark.parametrize("secret", [SECRET, "x", "p@ss w0rd!", "ключ-🔑"])
def test_redact_never_contains_the_secret(secret: str) -> None:
    shown = redact(secret)
    assert secret not in shown
    assert shown == f"(set, {len(secret)} chars)"


@pytest.mark.parametrize("secret", [None, ""])
def test_redact_of_nothing(secret: str | None) -> None:
    assert redact(secret) == "(none)"


def test_resolve_prefers_the_named_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FileSecretStore(tmp_path)
    store.set("stored-key")
    monkeypatch.setenv("MY_TEST_API_KEY", "env-key")
    assert resolve_api_key(store, "MY_TEST_API_KEY") == "env-key"


def test_resolve_falls_back_to_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FileSecretStore(tmp_path)
    store.set("stored-key")
    monkeypatch.delenv("MY_TEST_API_KEY", raising=False)
    assert resolve_api_key(store, "MY_TEST_API_KEY") == "stored-key"  # named but unset
    monkeypatch.setenv("MY_TEST_API_KEY", "")
    assert resolve_api_key(store, "MY_TEST_API_KEY") == "stored-key"  # named but empty
    assert resolve_api_key(store, "") == "stored-key"  # not named


def test_resolve_with_nothing_anywhere_is_none(tmp_path: Path) -> None:
    assert resolve_api_key(FileSecretStore(tmp_path), "") is None


class _BrokenStore:
    description = "a broken keyring"

    def get(self) -> str | None:
        raise RuntimeError(f"locked; the key was {SECRET}")

    def set(self, value: str) -> None:
        raise AssertionError("not used")

    def delete(self) -> None:
        raise AssertionError("not used")


@pytest.mark.expected_warnings
def test_resolve_survives_a_broken_store_and_logs_without_details(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger=credentials.__name__):
        assert resolve_api_key(_BrokenStore(), "") is None
    assert "a broken keyring" in caplog.text
    assert "RuntimeError" in caplog.text
    assert SECRET not in caplog.text


def test_confined_store_is_a_file_even_with_a_keyring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(credentials, "keyring_usable", lambda: True)
    store = open_secret_store(tmp_path, confined=True)
    assert isinstance(store, FileSecretStore)
    assert store.path == tmp_path / KEY_FILE


def test_unconfined_store_uses_the_keyring_when_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(credentials, "keyring_usable", lambda: True)
    assert isinstance(open_secret_store(tmp_path, confined=False), KeyringSecretStore)
    monkeypatch.setattr(credentials, "keyring_usable", lambda: False)
    assert isinstance(open_secret_store(tmp_path, confined=False), FileSecretStore)


def test_fail_keyring_backend_is_not_usable(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    assert credentials.keyring_usable() is False


def test_broken_keyring_configuration_is_not_usable(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    def broken() -> object:
        raise RuntimeError("bad keyringrc")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    assert credentials.keyring_usable() is False


# -- the key file is never reached through a symlink, and never readable by others ---------------------
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and symlinks")


@posix_only
def test_a_symlink_planted_at_the_key_path_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "planted-target"
    target.write_text("attacker's key")
    store = FileSecretStore(tmp_path / "config")
    store.path.parent.mkdir()
    store.path.symlink_to(target)
    with pytest.raises(credentials.UnsafeKeyFileError, match="symbolic link"):
        store.get()
    with pytest.raises(credentials.UnsafeKeyFileError, match="not a regular file"):
        store.set(SECRET)
    assert target.read_text() == "attacker's key"  # not overwritten, not followed
    assert store.path.is_symlink()
    assert [p.name for p in store.path.parent.iterdir()] == [KEY_FILE]  # no temporary file left
    store.delete()  # removes the link, never its target
    assert not store.path.is_symlink() and target.exists()


@posix_only
def test_a_dangling_symlink_is_refused_too(tmp_path: Path) -> None:
    store = FileSecretStore(tmp_path)
    store.path.symlink_to(tmp_path / "does-not-exist-yet")
    with pytest.raises(credentials.UnsafeKeyFileError):
        store.set(SECRET)
    assert not (tmp_path / "does-not-exist-yet").exists()
    with pytest.raises(credentials.UnsafeKeyFileError):
        store.get()


@posix_only
def test_a_directory_at_the_key_path_is_refused(tmp_path: Path) -> None:
    store = FileSecretStore(tmp_path)
    store.path.mkdir()
    with pytest.raises(credentials.UnsafeKeyFileError, match="not a regular file"):
        store.get()


@posix_only
@pytest.mark.expected_warnings
def test_a_refused_key_file_means_no_key(tmp_path: Path) -> None:
    store = FileSecretStore(tmp_path)
    store.path.symlink_to(tmp_path / "elsewhere")
    assert resolve_api_key(store, "") is None


@posix_only
def test_the_key_file_is_never_readable_by_others_even_for_a_moment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file the store creates is created 0600 (not chmod-ed afterwards) and with O_NOFOLLOW."""
    opened: list[tuple[str, int, int]] = []
    real_open = os.open

    def spy(path: str | os.PathLike[str], flags: int, mode: int = 0o777, **kwargs: object) -> int:
        opened.append((os.fspath(path), flags, mode))
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", spy)
    old = os.umask(0)
    try:
        FileSecretStore(tmp_path).set(SECRET)
    finally:
        os.umask(old)
    created = [(p, f, m) for p, f, m in opened if f & os.O_CREAT]
    assert created
    for _path, flags, mode in created:
        assert mode == 0o600
        assert flags & os.O_EXCL and flags & os.O_NOFOLLOW
    assert mode_of(tmp_path / KEY_FILE) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE]


@posix_only
def test_reading_opens_without_following_links_and_tightens_a_loose_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileSecretStore(tmp_path)
    store.path.write_text(SECRET)
    store.path.chmod(0o644)  # as an older version might have left it
    flags: list[int] = []
    real_open = os.open

    def spy(path: str | os.PathLike[str], flag: int, mode: int = 0o777, **kwargs: object) -> int:
        flags.append(flag)
        return real_open(path, flag, mode)

    monkeypatch.setattr(os, "open", spy)
    assert store.get() == SECRET
    assert flags and all(f & os.O_NOFOLLOW for f in flags)
    assert mode_of(store.path) == 0o600


@posix_only
@pytest.mark.parametrize("which", ["settings", "windows", "mcp"])
def test_the_other_config_files_are_0600_and_replace_a_planted_symlink(tmp_path: Path, which: str) -> None:
    """The settings (an endpoint URL may carry a token), the window list and the MCP config (its
    servers' environment) are written to a fresh 0600 file and renamed into place: a symlink
    planted at the path is replaced, never written through."""
    from desktop_app.core.config.mcp_config import CONFIG_FILE, save_mcp_config
    from desktop_app.core.config.settings import SETTINGS_FILE, Settings, save_settings
    from desktop_app.core.config.window_state import WINDOWS_FILE, save_windows

    name = {"settings": SETTINGS_FILE, "windows": WINDOWS_FILE, "mcp": CONFIG_FILE}[which]
    target = tmp_path / "target"
    target.write_text("theirs")
    (tmp_path / name).symlink_to(target)
    old = os.umask(0)
    try:
        if which == "settings":
            save_settings(tmp_path, Settings(endpoint_url="https://example.test/v1"))
        elif which == "windows":
            save_windows(tmp_path, [])
        else:
            save_mcp_config(tmp_path, '{"mcpServers": {}}')
    finally:
        os.umask(old)
    path = tmp_path / name
    assert not path.is_symlink() and target.read_text() == "theirs"
    assert mode_of(path) == 0o600
