"""The Copilot CLI's own sessions (the terminal's history) into the store, for the ☰ menu's import."""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.core.copilot.cli_sessions import import_cli_sessions
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.notices import Level


async def import_cli_history(
    service: CopilotService, store: ConversationStore | None, report: Callable[[str, Level], None]
) -> None:
    """Import them; ``report`` says how it went (or why it could not)."""
    assert store is not None
    try:
        result = await import_cli_sessions(service, store)
    except Exception as exc:
        report(f"Could not read the Copilot CLI's sessions: {describe_error(exc)}", Level.ERROR)
        return
    report(result.summary, Level.INFO)
