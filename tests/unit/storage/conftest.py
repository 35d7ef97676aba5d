"""``make_store``: named stores (with the samples' awkward clock) under the test's temporary folder,
closed after it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from tests.unit.storage.exchange.samples import open_store


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[Callable[[str], ConversationStore]]:
    stores: list[ConversationStore] = []

    def make(name: str) -> ConversationStore:
        stores.append(open_store(tmp_path / name))
        return stores[-1]

    yield make
    for store in stores:
        store.close()
