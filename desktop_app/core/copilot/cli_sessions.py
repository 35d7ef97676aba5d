"""Bring the Copilot CLI's own sessions (a user's terminal history) into the conversation store.

The SDK lists them (``list_sessions``) and returns each one's persisted events (``get_events`` on a
resumed session); those events are mapped to stored messages here. Sessions already in the store
(including every one this app created) are left alone.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from desktop_app.core.copilot.event_mapping import event_type
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.storage.conversation_store import ConversationStore, title_from_prompt
from desktop_app.core.storage.models import Conversation, ConversationWithMessages, Message, Role, Status

log = logging.getLogger(__name__)


@dataclass
class CliImportResult:
    imported: int = 0
    already_here: int = 0
    failed: list[str] = field(default_factory=list)  # "session id: reason"

    @property
    def summary(self) -> str:
        """What came of it, in one sentence for the banner."""
        plural = "" if self.imported == 1 else "s"
        text = f"Imported {self.imported} Copilot CLI session{plural}"
        if self.already_here:
            text += f" ({self.already_here} already here)"
        if self.failed:
            text += f"; {len(self.failed)} could not be read"
        return text + "."


def _timestamp(value: Any, fallback: float) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, int | float):
        return float(value)
    return fallback


def conversation_from_events(
    session_id: str, summary: str | None, started: float, events: Iterable[Any]
) -> ConversationWithMessages:
    """Map a CLI session's persisted events to a conversation (pure: no SDK import needed)."""
    conversation_id = str(uuid.uuid4())
    messages: list[Message] = []
    last_time = started

    def add(event: Any, role: Role, content: str, **fields: Any) -> None:
        nonlocal last_time
        at = _timestamp(getattr(event, "timestamp", None), last_time)
        last_time = at
        messages.append(
            Message(
                id=str(getattr(event, "id", "") or uuid.uuid4()),
                conversation_id=conversation_id,
                seq=len(messages) + 1,
                role=role,
                content=content,
                created_at=at,
                updated_at=at,
                **fields,
            )
        )

    for event in events:
        if getattr(event, "agent_id", None):
            continue  # a sub-agent's work belongs to a tool call, not to the conversation
        kind = event_type(event)
        data = getattr(event, "data", None)
        if kind == "user.message":
            add(event, Role.USER, str(getattr(data, "content", "") or ""))
        elif kind == "assistant.message":
            content = str(getattr(data, "content", "") or "")
            if content.strip() and not getattr(data, "parent_tool_call_id", None):
                add(event, Role.ASSISTANT, content, model=str(getattr(data, "model", "") or ""))
        elif kind == "assistant.reasoning" and messages and messages[-1].role is Role.ASSISTANT:
            messages[-1] = replace(messages[-1], reasoning=str(getattr(data, "content", "") or ""))
        elif kind == "session.error":
            add(event, Role.NOTICE, str(getattr(data, "message", "") or "Error"), status=Status.ERROR)
    first_prompt = next((m.content for m in messages if m.role is Role.USER), "")
    title = (summary or "").strip() or title_from_prompt(first_prompt) or "Copilot CLI session"
    updated = messages[-1].created_at if messages else started
    conversation = Conversation(
        id=conversation_id,
        title=title_from_prompt(title),
        created_at=started,
        updated_at=updated,
        session_id=session_id,
        provider="copilot-cli",
    )
    return ConversationWithMessages(conversation, messages)


async def import_cli_sessions(service: CopilotService, store: ConversationStore) -> CliImportResult:
    """Import every CLI session the store does not have yet."""
    from copilot.rpc import PermissionDecisionReject

    def refuse(request: Any, invocation: Any) -> Any:
        return PermissionDecisionReject(feedback="Reading history only.")

    await service.ensure_running()
    client = service.client
    result = CliImportResult()
    for meta in await service.call(client.list_sessions()):
        session_id = str(meta.session_id)
        if store.find_by_session(session_id) is not None:
            result.already_here += 1
            continue
        try:
            session = await service.call(client.resume_session(session_id, on_permission_request=refuse))
            try:
                events = await service.call(session.get_events())
            finally:
                await service.call(session.disconnect())
        except Exception as exc:
            log.info("Could not read CLI session %s: %s", session_id, exc)
            result.failed.append(f"{session_id}: {exc}")
            continue
        started = _timestamp(getattr(meta, "start_time", None), 0.0)
        item = conversation_from_events(session_id, getattr(meta, "summary", None), started, events)
        if not item.messages:
            continue
        outcome = store.import_conversations([item])
        if outcome.rejected:  # e.g. a message id another conversation of the store has
            result.failed.append(f"{session_id}: {outcome.rejected[0].reason}")
            continue
        result.imported += 1
    return result
