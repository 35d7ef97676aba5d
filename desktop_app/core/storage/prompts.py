"""The user's earlier prompts, as saved: for the composer's history (Up, Down, Ctrl+R)."""

from __future__ import annotations

import sqlite3

from desktop_app.core.conversation.prompt_history import MAX_PROMPTS, merge

# Newest first; the trash's conversations are left out (their prompts come back with them).
_PROMPTS = """
    SELECT m.content FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id
    WHERE m.role = 'user' AND trim(m.content) != '' AND c.trashed_at IS NULL {where}
    ORDER BY m.created_at DESC, m.seq DESC LIMIT ?
"""


def earlier_prompts(
    db: sqlite3.Connection, conversation_id: str | None, limit: int = MAX_PROMPTS
) -> list[str]:
    """This conversation's prompts, newest first, then every other conversation's, each once."""
    own: list[str] = []
    if conversation_id is not None:
        rows = db.execute(_PROMPTS.format(where="AND m.conversation_id = ?"), (conversation_id, limit))
        own = [str(row[0]) for row in rows]
    rows = db.execute(_PROMPTS.format(where=""), (limit * 2,))  # room for the repeats left out
    return merge(own, (str(row[0]) for row in rows), limit=limit)
