"""The draft of a conversation that does not exist yet (nothing sent), kept in a small file.

Drafts of saved conversations live in their database row; this one has no row to live in, and an
empty conversation should not appear in the sidebar just because someone started typing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

NEW_DRAFT_FILE = "new-conversation-draft.txt"


class NewConversationDraft:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / NEW_DRAFT_FILE

    def load(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def save(self, text: str) -> None:
        """Atomic: a crash mid-write leaves the previous draft, never half of one."""
        if not text:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".draft-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
