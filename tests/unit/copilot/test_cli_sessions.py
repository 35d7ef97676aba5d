"""Mapping a Copilot CLI session's persisted events to a stored conversation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from desktop_app.core.copilot.cli_sessions import CliImportResult, conversation_from_events
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role, Status


def ev(kind: str, minute: int, agent_id: str | None = None, **data: Any) -> SimpleNamespace:
    return SimpleNamespace(
        id=f"e{minute}-{kind}",
        type=SimpleNamespace(value=kind),
        timestamp=datetime(2026, 1, 2, 3, minute, tzinfo=UTC),
        agent_id=agent_id,
        data=SimpleNamespace(**data),
    )


EVENTS = [
    ev("session.start", 0, session_id="s1"),
    ev("user.message", 1, content="How do I list files?"),
    ev("assistant.message", 2, content="", tool_requests=[{"name": "bash"}]),
    ev("assistant.message", 3, content="sub-agent text", agent_id="a1"),
    ev("assistant.message", 4, content="Use `ls -la`.", model="gpt-x"),
    ev("assistant.reasoning", 5, content="They want a shell command."),
    ev("session.error", 6, message="rate limited"),
    ev("session.shutdown", 7),
]


def test_events_become_messages_in_order() -> None:
    started = datetime(2026, 1, 2, 3, 0, tzinfo=UTC).timestamp()
    item = conversation_from_events("s1", None, started, EVENTS)
    rows = [(m.role, m.content, m.status) for m in item.messages]
    assert rows == [
        (Role.USER, "How do I list files?", Status.COMPLETE),
        (Role.ASSISTANT, "Use `ls -la`.", Status.COMPLETE),
        (Role.NOTICE, "rate limited", Status.ERROR),
    ]
    assert item.messages[1].reasoning == "They want a shell command."
    assert item.messages[1].model == "gpt-x"
    assert [m.seq for m in item.messages] == [1, 2, 3]
    assert item.conversation.session_id == "s1"
    assert item.conversation.title == "How do I list files?"
    assert item.conversation.created_at == started
    assert item.conversation.updated_at == datetime(2026, 1, 2, 3, 6, tzinfo=UTC).timestamp()


def test_summary_is_the_title_and_import_is_searchable(tmp_path: Path) -> None:
    store = ConversationStore(open_database(tmp_path).connection)
    item = conversation_from_events("s2", "Listing files", 0.0, EVENTS)
    assert store.import_conversations([item]).imported == 1
    found = store.find_by_session("s2")
    assert found is not None and found.title == "Listing files"
    assert [h.conversation_id for h in store.search("ls")] == [found.id]


def test_a_session_with_no_messages_is_empty() -> None:
    item = conversation_from_events("s3", None, 0.0, [ev("session.start", 0)])
    assert item.messages == [] and item.conversation.title == "Copilot CLI session"


def test_the_import_says_what_came_of_it_in_one_sentence() -> None:
    assert CliImportResult(1).summary == "Imported 1 Copilot CLI session."
    assert CliImportResult(0, 3).summary == "Imported 0 Copilot CLI sessions (3 already here)."
    result = CliImportResult(2, 1, ["s1: gone", "s2: gone"])
    assert result.summary == "Imported 2 Copilot CLI sessions (1 already here); 2 could not be read."
