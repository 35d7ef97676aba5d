"""Attachments as the SDK's ``send(..., attachments=[...])`` takes them. No Qt.

Measured with CLI 1.0.102: an image ``blob`` reaches the model as an ``image_url`` part; a text
``blob`` is inlined in the prompt as ``<attachment ...>`` text; a ``file`` or ``directory`` is only
named, for the agent's own tools to read. So images always go as blobs; text goes as a blob in Chat
mode (the model has no tool that could read a file) and as a file in Agent mode, where the agent
reads it where it is. A pasted text has no file: it is written, content-addressed, under the app's
data folder first.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop_app.core.platform.file_names import safe_file_name
from desktop_app.core.vocabulary.access import ToolAccess
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind

log = logging.getLogger(__name__)


def _blob(attachment: Attachment, mime: str) -> dict[str, Any]:
    return {
        "type": "blob",
        "data": base64.b64encode(attachment.data).decode("ascii"),
        "mimeType": mime,
        "displayName": attachment.label,
    }


def spooled(attachment: Attachment, spool_dir: Path) -> Path:
    """A copy of ``attachment`` on disk, at ``spool_dir/<sha256>/<name>`` (written once)."""
    folder = spool_dir / attachment.sha256
    target = folder / safe_file_name(attachment.label)
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(attachment.data)
    return target


def _on_disk(attachment: Attachment, spool_dir: Path) -> str:
    """The file the agent should read: the original if it still holds these bytes, else a copy."""
    if attachment.path:
        original = Path(attachment.path)
        try:
            if original.is_file() and original.read_bytes() == attachment.data:
                return str(original)
        except OSError as exc:
            log.info("Attachment %s is no longer readable: %s", attachment.label, exc)
    return str(spooled(attachment, spool_dir))


def to_sdk(attachments: Sequence[Attachment], access: ToolAccess, spool_dir: Path) -> list[dict[str, Any]]:
    """The SDK's attachment dicts for a prompt sent in ``access``'s mode."""
    agent = access.mode.agentic
    payload: list[dict[str, Any]] = []
    for attachment in attachments:
        if attachment.kind is AttachmentKind.IMAGE:
            payload.append(_blob(attachment, attachment.mime))
        elif attachment.kind is AttachmentKind.FOLDER:
            if agent:  # a folder in Chat mode is refused before it gets here
                payload.append(
                    {"type": "directory", "path": attachment.path, "displayName": attachment.label}
                )
        elif agent:
            path = _on_disk(attachment, spool_dir)
            payload.append({"type": "file", "path": path, "displayName": attachment.label})
        else:
            payload.append(_blob(attachment, "text/plain"))
    return payload
