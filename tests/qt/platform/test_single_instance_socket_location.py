"""Single instance: where the socket (and its lock) lives, per data folder, never where others can write."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.platform import local_socket
from desktop_app.ui.platform import single_instance
from desktop_app.ui.platform.single_instance import InstanceServer, server_name
from tests.qt.platform.single_instance_helpers import hand_over_from_child, unix_only


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A folder with a short path: pytest's own can be too long for a socket path inside it."""
    folder = Path(tempfile.mkdtemp(prefix="cd-", dir="/tmp" if os.path.isdir("/tmp") else None))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_server_name_is_stable_and_per_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    name = server_name(tmp_path / "data")
    assert server_name(tmp_path / "data" / "sub" / "..") == name  # the resolved dir counts
    assert server_name(tmp_path / "other") != name
    if sys.platform == "win32":
        assert re.fullmatch(r"copilot-desktop-[0-9a-f]{12}-[A-Za-z0-9_.-]+", name)
    else:
        assert len(os.fsencode(name)) <= local_socket.MAX_SOCKET_PATH


@unix_only
def test_the_socket_and_its_lock_live_in_the_runtime_dir(
    qtbot: QtBot, short_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path = short_tmp
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    name = server_name(tmp_path / "data")
    assert Path(name).parent == runtime
    assert single_instance.lock_path(name) == f"{name}.lock"
    server = InstanceServer()
    try:
        assert server.listen(name)
        assert [p.name for p in runtime.iterdir()] == [Path(name).name]  # the lock is gone again
        assert Path(name).is_socket()
        received: list[object] = []
        server.request.connect(received.append)
        assert hand_over_from_child(qtbot, name, {"open": "r"}) == ["True"]
        assert received == [{"open": "r"}]
    finally:
        server.close()


@unix_only
def test_without_a_runtime_dir_the_socket_is_in_the_data_dir(
    short_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path = short_tmp
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    name = server_name(tmp_path / "data")
    assert Path(name).parent == tmp_path / "data"
    assert not name.startswith(tempfile.gettempdir() + "/copilot")


@unix_only
@pytest.mark.parametrize("kind", ["shared", "symlink", "relative"])
def test_a_runtime_dir_others_can_write_to_is_not_used(
    short_tmp: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    tmp_path = short_tmp
    runtime = tmp_path / "run"
    runtime.mkdir()
    if kind == "shared":
        runtime.chmod(0o1777)  # like /tmp
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    elif kind == "symlink":
        runtime.chmod(0o700)
        (tmp_path / "link").symlink_to(runtime)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "link"))
    else:
        monkeypatch.setenv("XDG_RUNTIME_DIR", "run")
    assert Path(server_name(tmp_path / "data")).parent == tmp_path / "data"


@unix_only
def test_a_data_dir_too_deep_for_a_socket_path_uses_a_private_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    deep = tmp_path / ("d" * 100)
    name = server_name(deep)
    folder = Path(name).parent
    assert folder == tmp_path / f"copilot-desktop-{os.getuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700


@unix_only
@pytest.mark.expected_warnings
def test_a_temp_folder_someone_else_made_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    taken = tmp_path / f"copilot-desktop-{os.getuid()}"
    taken.mkdir(mode=0o755)  # loosened, or made first by another user
    name = server_name(tmp_path / ("d" * 100))
    folder = Path(name).parent
    assert folder != taken and folder.parent == tmp_path
    assert folder.stat().st_mode & 0o777 == 0o700
    assert "is not a private folder" in caplog.text
