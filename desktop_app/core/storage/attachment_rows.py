"""A prompt's attachments in the store: their rows (``message_attachments``, in order) and their
bytes once per content (``attachment_blobs``, by SHA-256), so the same screenshot sent twice, or
imported again, is kept once. Bytes no row uses any more are dropped by the schema's trigger.

These run inside the caller's transaction (``ConversationStore``); reading goes through
``stored_values`` like every other row, so one odd row spoils nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from desktop_app.core.storage import stored_values as v
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind


def save(db: sqlite3.Connection, message_id: str, attachments: Sequence[Attachment]) -> None:
    """Add ``attachments`` to the message (in a transaction the caller holds)."""
    for seq, attachment in enumerate(attachments, 1):
        db.execute(
            "INSERT OR IGNORE INTO attachment_blobs (sha256, data) VALUES (?, ?)",
            (attachment.sha256, attachment.data),
        )
        db.execute(
            "INSERT INTO message_attachments (message_id, seq, name, kind, mime, path, sha256) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                message_id,
                seq,
                attachment.name,
                attachment.kind.value,
                attachment.mime,
                attachment.path,
                attachment.sha256,
            ),
        )


def load(db: sqlite3.Connection, conversation_id: str) -> dict[str, tuple[Attachment, ...]]:
    """Every attachment of the conversation's messages, by message id, in order."""
    rows = db.execute(
        "SELECT a.message_id, a.name, a.kind, a.mime, a.path, b.data FROM message_attachments a "
        "JOIN messages m ON m.id = a.message_id JOIN attachment_blobs b ON b.sha256 = a.sha256 "
        "WHERE m.conversation_id = ? ORDER BY m.seq, a.seq",
        (conversation_id,),
    )
    found: dict[str, list[Attachment]] = {}
    for row in rows:
        what = f"attachment of message {row['message_id']!r}"
        data = row["data"]
        attachment = Attachment(
            name=v.text(row["name"], f"{what} name"),
            kind=v.choice(AttachmentKind, row["kind"], AttachmentKind.TEXT, f"{what} kind"),
            mime=v.text(row["mime"], f"{what} mime"),
            data=bytes(data) if isinstance(data, bytes | memoryview) else b"",
            path=v.text(row["path"], f"{what} path"),
        )
        found.setdefault(str(row["message_id"]), []).append(attachment)
    return {message_id: tuple(items) for message_id, items in found.items()}
