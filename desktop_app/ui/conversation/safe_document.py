"""A text document that never loads a resource: rich text from untrusted sources stays inert.

``QTextDocument`` fetches every image and stylesheet its HTML names, and when nothing answers it
reads the path from disk itself (``<img src="/dev/zero">`` would read forever, ``/etc/passwd``
would be read). The app's HTML uses no resources of its own, so every request gets nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QTextDocument


class NoResourceDocument(QTextDocument):
    """``refused`` keeps the names turned down (for tests and diagnostics)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.refused: set[str] = set()  # what was asked for (the first hundred names)

    def loadResource(self, type: int, name: QUrl | str) -> object:
        if len(self.refused) < 100:
            self.refused.add(name.toString() if isinstance(name, QUrl) else name)
        return None
