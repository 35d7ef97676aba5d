"""What an export writes: the conversations asked for, in export order, through the format its file
suffix names. The command line and the window both export through here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange.export_text import in_export_order
from desktop_app.core.storage.exchange.html_format import export_html
from desktop_app.core.storage.exchange.json_format import export_json
from desktop_app.core.storage.exchange.markdown_format import export_markdown
from desktop_app.core.storage.models import ConversationWithMessages
from desktop_app.core.storage.versions import ConversationVersions

Exporter = Callable[[Iterable[ConversationWithMessages]], str]
EXPORTERS: dict[str, Exporter] = {"md": export_markdown, "html": export_html, "json": export_json}
"""Every export format by its file suffix."""


class UnknownConversationError(LookupError):
    """An export asked for a conversation id the store does not have."""


def load_conversations(
    store: ConversationStore, conversation_ids: Sequence[str] | None = None
) -> list[ConversationWithMessages]:
    """The given conversations (every one, trash included, when ``None``), in export order."""
    if conversation_ids is None:
        found = store.list_conversations() + store.list_conversations(trashed=True)
    else:
        found = []
        for cid in dict.fromkeys(conversation_ids):
            conversation = store.get_conversation(cid)
            if conversation is None:
                raise UnknownConversationError(f"no conversation with id {cid!r}")
            found.append(conversation)
    versions = ConversationVersions(store)
    return in_export_order(
        ConversationWithMessages(c, store.messages(c.id), store.tool_calls(c.id), versions.kept(c.id))
        for c in found
    )
