"""A long paragraph still streaming at the end of a reply, grown word by word in its document.

The open tail is rendered anew on every tick; for one long paragraph that is the whole paragraph's
markdown, sanitizing and HTML each time: 15 to 25 ms a tick at 30 KB, while three windows stream
at once. Text that holds none of markdown's inline marks and no line break cannot change how the
paragraph before it renders, nor start a block, so it is added as plain text in the paragraph's
own format (no HTML is parsed: nothing the model writes can become markup). Anything else (a mark,
a new line, a finished block) goes back to the whole render, which may take over again.

Qt lays a block out whole at every change (0.3 ms per KB), so the lines already laid out are
frozen as they stand: the paragraph is cut into blocks where a line already breaks at a space,
with no margin between them, and each tick lays out only its last line or two. It looks the same;
the cuts go when the reply ends (or the width changes) and the paragraph is rendered whole.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QTextBlock, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextFormat

from desktop_app.ui.conversation.view.row_document import RowDocument

MIN_CHARS = 1500  # below this a whole render is cheap
FREEZE_CHARS = 600  # a growing block longer than this has its laid-out lines frozen
_SPACES = re.compile(r"\s+")
# Mid-line, every other printable character is inert to the renderer (Python-Markdown with the app's
# extensions, raw HTML escaped). These can open or close a mark: emphasis, code, a link or image
# (``)`` closes ``[x](url``), an escape, an entity (``;`` ends ``&amp``), an autolink; ``|`` and
# ``~`` are left out to be safe.
_MARKS = frozenset("*_`[]!<>&;)\\|~")


def inert(text: str) -> bool:
    """Whether ``text`` added mid-line to a paragraph renders as itself, changing nothing before it
    (no line break, tab, control or format character: ``isprintable`` is False for each)."""
    return all(char.isprintable() and char not in _MARKS for char in text)


def _line_has_begun(line: str) -> bool:
    """The line's first word is whole (``1.``, ``+``, ``#`` became what they are: what follows
    cannot make the line a list item or a heading), and it is not a link definition."""
    words = line.lstrip()
    return " " in words and not words.startswith("[") and not line.startswith("    ")


def _plain_paragraph(block: QTextBlock) -> bool:
    """A top-level paragraph: not a heading, list item, quote, code or table cell."""
    block_format = block.blockFormat()
    return (
        block.textList() is None
        and block_format.headingLevel() == 0
        and block_format.leftMargin() == 0
        and block_format.indent() == 0
        and not block_format.boolProperty(QTextFormat.Property.BlockNonBreakableLines)
    )


class OpenParagraph:
    """The last paragraph of the tail as the last whole render left it; ``update`` grows it."""

    def __init__(self, document: RowDocument, raw: str, char_format: QTextCharFormat) -> None:
        self._document = document
        self._raw = raw  # the tail as rendered or grown so far
        # The tail ends in whitespace (its last line has begun: spaces or tabs, no line break), which
        # the document shows as one space, as it shows any run of whitespace.
        self._space = raw != raw.rstrip()
        self._format = char_format
        self._width = document.textWidth()  # frozen lines break where they did at this width

    @classmethod
    def take_over(cls, document: RowDocument, tail_start: int, tail: str) -> OpenParagraph | None:
        """After a whole render of ``tail`` from ``tail_start``: an ``OpenParagraph`` if the tail is
        one long plain paragraph whose last line has begun and whose text ends in plain text."""
        if len(tail) < MIN_CHARS or not _line_has_begun(tail[tail.rfind("\n") + 1 :]):
            return None
        block = document.lastBlock()
        first = document.findBlock(tail_start)
        if first != block and (first.next() != block or first.position() + first.length() - 1 != tail_start):
            return None  # more than one block: a list, a table, a paragraph and something else
        if not _plain_paragraph(block):
            return None
        cursor = QTextCursor(document)
        cursor.setPosition(tail_start)
        if cursor.currentTable() is not None or cursor.currentFrame() != document.rootFrame():
            return None
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if cursor.charFormat() != block.charFormat():
            return None  # it ends in a link, emphasis or code: new text must not take that look
        return cls(document, tail, block.charFormat())

    def update(self, tail: str) -> bool:
        """Grow to ``tail``; False (nothing changed) when only a whole render can show it."""
        if not tail.startswith(self._raw) or self._document.textWidth() != self._width:
            return False
        added = tail[len(self._raw) :]
        if not inert(added):
            return False
        self._raw = tail
        piece = _SPACES.sub(" ", added)
        if self._space and piece.startswith(" "):
            piece = piece[1:]
        if piece:
            cursor = QTextCursor(self._document)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(piece, self._format)
            self._space = piece.endswith(" ")
            self._freeze_lines()
        return True

    def _freeze_lines(self) -> None:
        """Cut the growing block before its last line, if that line starts after a space."""
        block = self._document.lastBlock()
        layout = block.layout()
        if block.length() < FREEZE_CHARS or layout is None or layout.lineCount() < 2:
            return
        start = layout.lineAt(layout.lineCount() - 1).textStart()
        if start <= 0 or self._document.characterAt(block.position() + start - 1) != " ":
            return  # a word broken inside: cutting there would show it whole on the next line
        direction = block.textDirection()  # each part keeps the paragraph's, whatever it starts with
        after = QTextBlockFormat(block.blockFormat())
        after.setTopMargin(0)
        after.setLayoutDirection(direction)
        before = QTextBlockFormat()
        before.setBottomMargin(0)
        before.setLayoutDirection(direction)
        cursor = QTextCursor(block)
        cursor.mergeBlockFormat(before)
        cursor.setPosition(block.position() + start)
        cursor.insertBlock(after, self._format)
