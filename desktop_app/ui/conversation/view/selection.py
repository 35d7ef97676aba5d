"""What the user selected across a conversation's messages, and how it is copied.

A selection runs from an anchor (a row and a position in its document) to a focus. Within one
message it is a text range; across several, the first and last are cut at the ends and the ones
between are whole. Copy puts it on the clipboard as plain text, as markdown (whole messages as their
source, so tables and lists survive) and as rich text (HTML).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QTextCursor, QTextDocument, QTextDocumentFragment

from desktop_app.ui.conversation.view.rows import Row, RowKind

END = 1 << 62  # "to the end of the row's document"


@dataclass(frozen=True)
class Spot:
    row: int
    position: int


@dataclass(frozen=True)
class TextSelection:
    anchor: Spot
    focus: Spot

    @property
    def first(self) -> Spot:
        a, f = self.anchor, self.focus
        return a if (a.row, a.position) <= (f.row, f.position) else f

    @property
    def last(self) -> Spot:
        return self.focus if self.first is self.anchor else self.anchor

    @property
    def empty(self) -> bool:
        return self.anchor == self.focus

    def range_in(self, row: int) -> tuple[int, int] | None:
        """The selected part of ``row`` as (start, end) positions (END: to its end); None if none."""
        first, last = self.first, self.last
        if self.empty or not first.row <= row <= last.row:
            return None
        start = first.position if row == first.row else 0
        end = last.position if row == last.row else END
        return (start, end) if end > start else None

    def whole(self, row: int, length: int) -> bool:
        span = self.range_in(row)
        return span is not None and span[0] == 0 and min(span[1], length) >= length


def cursor_for(document: QTextDocument, span: tuple[int, int]) -> QTextCursor:
    """A cursor selecting ``span`` in ``document`` (clamped to it)."""
    end_of_text = max(document.characterCount() - 1, 0)
    cursor = QTextCursor(document)
    cursor.setPosition(min(span[0], end_of_text))
    cursor.setPosition(min(span[1], end_of_text), QTextCursor.MoveMode.KeepAnchor)
    return cursor


def markdown_of(row: Row) -> str:
    """A whole message as markdown: a prompt or notice as written, a reply as its source."""
    return row.text


def mime_for(
    selection: TextSelection, rows: list[Row], document_of: Callable[[int], QTextDocument]
) -> QMimeData:
    """The clipboard's content for ``selection``: text/plain, text/markdown and text/html.

    Whole messages copy their source as markdown; cut ones their selected text."""
    plain: list[str] = []
    markdown: list[str] = []
    rich: list[str] = []
    for index in range(selection.first.row, selection.last.row + 1):
        span = selection.range_in(index)
        if span is None:
            continue
        row = rows[index]
        document = document_of(index)
        cursor = cursor_for(document, span)
        text = cursor.selection().toPlainText()
        whole = cursor.selectionStart() == 0 and cursor.selectionEnd() >= document.characterCount() - 1
        if whole and row.kind is RowKind.REPLY and row.part == 0:
            # A reply's document starts with its author's name: keep that out of the text.
            body = document.toPlainText().split("\n", 1)
            text = body[1] if len(body) > 1 and body[0] == (row.label or "Copilot") else text
        plain.append(text.strip("\n"))
        markdown.append(markdown_of(row).strip("\n") if whole else text)
        rich.append(QTextDocumentFragment(cursor).toHtml())
    data = QMimeData()
    data.setText("\n\n".join(part for part in plain if part))
    data.setData("text/markdown", "\n\n".join(part for part in markdown if part).encode("utf-8"))
    data.setHtml("".join(rich))
    return data
