"""Which saved messages to render first when a conversation opens, and which later.

Rendering markdown costs ~1.5 ms per KB, so a 1 MB conversation would take over a second to show.
The newest messages (a budget of text) are rendered at once; older ones in chunks as the user
scrolls up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from desktop_app.core.storage.models import Message

FIRST_BUDGET = 16_000  # characters rendered when a conversation opens (a few screens)
CHUNK_BUDGET = 12_000  # characters per scroll-up step: Qt lays out ~3 ms per 1,000 inserted
MIN_MESSAGES = 2  # at least this many, however long they are

M = TypeVar("M", bound=Message)


def split_newest(
    messages: Sequence[M], budget: int, min_count: int = MIN_MESSAGES
) -> tuple[list[M], list[M]]:
    """(older, newest): the newest messages that fit the budget (at least ``min_count``)."""
    total = 0
    start = len(messages)
    while start > 0:
        size = len(messages[start - 1].content) + len(messages[start - 1].reasoning)
        taken = len(messages) - start
        if taken >= min_count and total + size > budget:
            break
        total += size
        start -= 1
    return list(messages[:start]), list(messages[start:])
