"""The composer's history from the store: this conversation's prompts first, then all, newest first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role
from desktop_app.core.storage.prompts import earlier_prompts


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConversationStore]:
    s = ConversationStore(open_database(tmp_path / "data").connection)
    yield s
    s.close()


def test_this_conversation_first_then_every_other_newest_first_each_once(store: ConversationStore) -> None:
    here, there, trashed = (store.create_conversation() for _ in range(3))
    times = iter(range(100, 200))

    def say(conversation_id: str, text: str, role: Role = Role.USER) -> None:
        store.add_message(conversation_id, role, text, created_at=float(next(times)))

    say(there.id, "old elsewhere")
    say(here.id, "first here")
    say(here.id, "a reply", Role.ASSISTANT)
    say(there.id, "shared")
    say(here.id, "shared")  # sent in both: kept once, as this conversation's
    say(trashed.id, "in the trash")
    say(there.id, "newest elsewhere")
    say(here.id, "   ")
    store.trash(trashed.id)
    assert earlier_prompts(store.db, here.id) == ["shared", "first here", "newest elsewhere", "old elsewhere"]
    assert earlier_prompts(store.db, None) == ["newest elsewhere", "shared", "first here", "old elsewhere"]
    assert earlier_prompts(store.db, here.id, limit=2) == ["shared", "first here"]
