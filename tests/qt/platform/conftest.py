"""A server name of each test's own, and a server that is closed before the name is cleaned up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalServer
from pytestqt.qtbot import QtBot

from desktop_app.ui.platform.single_instance import InstanceServer, server_name


@pytest.fixture
def name(tmp_path: Path) -> Iterator[str]:
    """A name of this test's own; a socket file a failed test left behind is removed afterwards."""
    name = server_name(tmp_path / "data")
    yield name
    QLocalServer.removeServer(name)


@pytest.fixture
def server(qtbot: QtBot, name: str) -> Iterator[InstanceServer]:
    server = InstanceServer()  # closed before ``name`` cleans up, as it depends on it
    yield server
    server.close()
