"""Shared set-up for the live share tests: a server that is always stopped, and no leaked threads."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from desktop_app.core.share import ShareServer


@pytest.fixture(autouse=True)
def no_share_threads_left() -> Iterator[None]:
    """A test that leaves a server thread running would leave its sockets open too."""
    yield
    left = [t.name for t in threading.enumerate() if t.name == "share-server"]
    assert not left, f"share server threads still running: {left}"


@pytest.fixture
def share() -> Iterator[ShareServer]:
    server = ShareServer("Test chat")
    try:
        yield server
    finally:
        server.stop()
