"""A file, image or folder sent with a prompt: what the composer holds, the store keeps, the session
sends and the exports show. Shared vocabulary, so it lives apart from each of them. No Qt.

Its bytes are kept whole (the store addresses them by their SHA-256), so a conversation reopened, or
imported from a backup on another machine, still has what was sent even when the file is gone.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

NAME_LENGTH = 120  # characters of a name as shown on a chip or in the conversation


class AttachmentKind(StrEnum):
    IMAGE = "image"  # sent as an image the model sees
    TEXT = "text"  # its content inlined (Chat), or the file attached for the agent to read (Agent)
    FOLDER = "folder"  # Agent mode only: the agent may look inside


@dataclass(frozen=True)
class Attachment:
    """One attachment. ``path`` is where it came from on disk ("" for a paste)."""

    name: str
    kind: AttachmentKind
    mime: str
    data: bytes = field(default=b"", repr=False)
    path: str = ""

    @cached_property
    def sha256(self) -> str:
        """Its content address (the store keeps one copy of the same bytes)."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def label(self) -> str:
        """The name as shown: safe to display (see ``display_name``)."""
        return display_name(self.name)

    @property
    def summary(self) -> str:
        """One line for text exports and tooltips: the name, then what it is and its size."""
        what = "folder" if self.kind is AttachmentKind.FOLDER else f"{self.mime}, {human_size(self.size)}"
        return f"{self.label} ({what})"


def display_name(name: str) -> str:
    """A file name from a paste, a drop or an import, as it may be shown.

    Names are untrusted: control and format characters (a right-to-left override can make
    ``exe.txt`` read as ``txt.exe``, a newline can fake a second line) are dropped, and a very long
    name is shortened in the middle so its extension stays visible.
    """
    spaced = "".join(" " if unicodedata.category(c) in {"Cc", "Zl", "Zp"} else c for c in name)
    cleaned = "".join(c for c in spaced if unicodedata.category(c) not in {"Cf", "Cs"})
    cleaned = " ".join(cleaned.split()) or "attachment"
    if len(cleaned) > NAME_LENGTH:
        keep = NAME_LENGTH - 1
        cleaned = cleaned[: keep - keep // 3] + "…" + cleaned[-(keep // 3) :]
    return cleaned


def human_size(size: int) -> str:
    """``532 B``, ``14 KB``, ``2.4 MB``: what a chip shows."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
