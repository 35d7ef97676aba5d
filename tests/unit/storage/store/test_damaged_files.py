"""A database file that cannot be used as it is: corrupt or truncated (moved aside), locked, read-only,
or a data folder that is not a folder."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest

from desktop_app.core.storage import database
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import DB_FILE, SCHEMA_VERSION, StorageError, open_database
from desktop_app.core.storage.models import Role
from tests.unit.storage.store_helpers import FakeClock, user_version

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
skip_if_root = pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions")


def make_real_database(data_dir: Path, conversations: int = 50) -> bytes:
    """A closed, checkpointed database with some content; returns its bytes."""
    result = open_database(data_dir)
    s = ConversationStore(result.connection)
    for i in range(conversations):
        c = s.create_conversation()
        s.add_message(c.id, Role.USER, f"question {i} " + "lorem ipsum dolor " * 40)
        s.add_message(c.id, Role.ASSISTANT, f"answer {i} " + "sit amet consectetur " * 80)
    s.close()
    return (data_dir / DB_FILE).read_bytes()


@pytest.mark.expected_warnings
def test_random_bytes_file_is_moved_aside(data_dir: Path, clock: FakeClock) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILE
    garbage = os.urandom(64 * 1024)
    path.write_bytes(garbage)

    result = open_database(data_dir, clock=clock)
    try:
        kept = data_dir / f"conversations.corrupt-{int(clock.now)}.sqlite3"
        assert kept.read_bytes() == garbage
        assert result.notice is not None
        assert kept.name in result.notice
        assert user_version(result.connection) == SCHEMA_VERSION
        s = ConversationStore(result.connection, clock=clock)
        assert s.list_conversations() == []
        c = s.create_conversation()
        s.add_message(c.id, Role.USER, "fresh start")
        assert len(s.search("fresh")) == 1
    finally:
        result.connection.close()
    # Opening again is quiet: the new file is healthy.
    again = open_database(data_dir, clock=clock)
    again.connection.close()
    assert again.notice is None


@pytest.mark.expected_warnings
@pytest.mark.parametrize("keep", [100, 4096, 0.5], ids=["header-only", "first-page", "half"])
def test_truncated_database_is_moved_aside(data_dir: Path, clock: FakeClock, keep: float) -> None:
    original = make_real_database(data_dir)
    size = int(len(original) * keep) if isinstance(keep, float) else int(keep)
    truncated = original[:size]
    (data_dir / DB_FILE).write_bytes(truncated)

    result = open_database(data_dir, clock=clock)
    try:
        kept = data_dir / f"conversations.corrupt-{int(clock.now)}.sqlite3"
        assert kept.read_bytes() == truncated
        assert result.notice is not None and kept.name in result.notice
        s = ConversationStore(result.connection, clock=clock)
        assert s.count_conversations() == 0
        c = s.create_conversation("new")
        assert s.get_conversation(c.id) == c
    finally:
        result.connection.close()


@pytest.mark.expected_warnings
def test_second_corrupt_file_in_same_second_does_not_overwrite_first(
    data_dir: Path, clock: FakeClock
) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILE
    first = b"first" + os.urandom(8192)
    second = b"second" + os.urandom(8192)
    path.write_bytes(first)
    open_database(data_dir, clock=clock).connection.close()
    path.write_bytes(second)
    open_database(data_dir, clock=clock).connection.close()

    kept = sorted(
        p.read_bytes() for p in data_dir.iterdir() if p.name.endswith(".sqlite3") and "corrupt" in p.name
    )
    assert sorted([first, second]) == kept


@pytest.mark.expected_warnings
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_corrupt_file_is_closed_before_it_is_moved(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILE
    path.write_bytes(os.urandom(8192))
    open_at_move: list[str] = []
    real_move = database._move_aside

    def spy(source: Path, target: Path) -> None:
        for fd in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError):  # the fd of os.listdir itself is gone by now
                open_at_move.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_move(source, target)

    monkeypatch.setattr(database, "_move_aside", spy)
    open_database(data_dir, clock=clock).connection.close()
    assert str(path) not in open_at_move


@pytest.mark.expected_warnings
def test_locked_database_is_not_treated_as_corrupt(data_dir: Path, clock: FakeClock) -> None:
    make_real_database(data_dir, conversations=3)
    holder = sqlite3.connect(data_dir / DB_FILE, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE conversations SET pinned = 1")
        # Waits out the 5 s busy timeout, then must report a storage problem, not corruption.
        try:
            result = open_database(data_dir, clock=clock)
        except StorageError:
            result = None
        if result is not None:
            result.connection.close()
        assert not any("corrupt" in p.name for p in data_dir.iterdir())
        assert result is None
    finally:
        holder.close()


@skip_if_root
def test_read_only_data_dir_gives_storage_error(data_dir: Path) -> None:
    data_dir.mkdir()
    data_dir.chmod(0o500)
    try:
        with pytest.raises(StorageError):
            open_database(data_dir)
        assert list(data_dir.iterdir()) == []
    finally:
        data_dir.chmod(0o700)


@skip_if_root
def test_read_only_data_dir_with_existing_database_gives_storage_error(data_dir: Path) -> None:
    original = make_real_database(data_dir, conversations=2)
    data_dir.chmod(0o500)
    try:
        with pytest.raises(StorageError):
            open_database(data_dir)
        assert (data_dir / DB_FILE).read_bytes() == original  # not moved aside, not changed
    finally:
        data_dir.chmod(0o700)


@skip_if_root
def test_read_only_database_file_gives_storage_error(data_dir: Path) -> None:
    make_real_database(data_dir, conversations=2)
    (data_dir / DB_FILE).chmod(0o400)
    try:
        with pytest.raises(StorageError):
            result = open_database(data_dir)
            try:
                ConversationStore(result.connection).create_conversation("x")
            finally:
                result.connection.close()
    finally:
        (data_dir / DB_FILE).chmod(0o600)


def test_data_dir_that_is_a_file_gives_storage_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("I am a file")
    with pytest.raises(StorageError, match="data folder"):
        open_database(not_a_dir)
    assert not_a_dir.read_text() == "I am a file"


def test_data_dir_under_a_file_gives_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(StorageError):
        open_database(blocker / "data")
