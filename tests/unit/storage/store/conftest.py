"""The store under test: a real SQLite file under ``tmp_path`` with a fake clock, so ordering and
timestamps are exact."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from tests.unit.storage.store_helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, clock: FakeClock) -> Iterator[ConversationStore]:
    result = open_database(data_dir, clock=clock)
    assert result.notice is None
    s = ConversationStore(result.connection, clock=clock)
    yield s
    s.close()
