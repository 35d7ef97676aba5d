"""Which conversations an export holds, and the format table the command line and the window share."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange.exporters import UnknownConversationError, load_conversations


def test_unknown_conversation_id_is_refused(make_store: Callable[[str], ConversationStore]) -> None:
    with pytest.raises(UnknownConversationError, match="nope"):
        load_conversations(make_store("a"), ["nope"])
