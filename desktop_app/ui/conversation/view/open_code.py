"""A long code block still streaming at the end of a reply, grown line by line in its document.

Rendering the open tail anew on every tick cost what the whole block costs: 145 ms a tick for a
30 KB block (highlighting 70%, parsing the HTML a quarter), so a reply writing a long file froze
the window more the longer it got. Once the block is long, its box is remade once: the header row
of its table stays (language, Copy) and the code moves into a frame below it, of the same colour
and padding (a table is laid out whole at every change, a frame only where it changed: 12 ms
against 0.6 ms a tick at 700 lines). Each tick then replaces only the last line shown and adds
the lines that arrived, as plain text in per-token formats (no HTML is parsed, so nothing the model
writes can become markup). Each tick's text is coloured on its own, so a string spanning lines may
be coloured wrongly until the fence closes; then the splitter hands out the finished block and it
is rendered once from its markdown, exactly.
"""

from __future__ import annotations

from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFrame,
    QTextFrameFormat,
    QTextTable,
    QTextTableCell,
)

from desktop_app.core.rendering import fences
from desktop_app.core.rendering.markdown_render import COPY_SCHEME, MarkdownRenderer, TokenLook
from desktop_app.ui.conversation.view.row_document import RowDocument

MIN_CHARS = 1500  # below this a whole render is cheap, and its colours are exact


class OpenCodeBlock:
    """The code box of an open fence that makes up the whole tail (a top-level fence, not one in a
    list or a quote), as the last full render left it; ``update`` grows it."""

    def __init__(
        self,
        renderer: MarkdownRenderer,
        frame: QTextFrame,
        base: QTextCharFormat,
        opening: str,
        language: str,
        key: str,
    ) -> None:
        self._renderer = renderer
        self._frame = frame
        self._base = base  # the code's own character format (its monospaced font)
        self._opening = opening  # the fence's first line, with its newline
        self._fence = fences.opening(opening) or ""
        self._language = language
        self._key = key  # the box's Copy link: it copies the code so far
        self._shown_from = len(opening)  # where in the tail the frame's last line starts
        self._formats: dict[TokenLook, QTextCharFormat] = {}
        # The colours of the box as it was drawn: a theme switch mid-stream leaves the streaming
        # reply in its old colours until it ends (see ``ChatView.restyled``), new lines included.
        self._style = renderer.inline_style

    @classmethod
    def take_over(
        cls, document: RowDocument, tail_start: int, tail: str, renderer: MarkdownRenderer
    ) -> OpenCodeBlock | None:
        """The box a full render of ``tail`` just made at ``tail_start``, if the tail is one long
        open fence and the box shows exactly its code; else None (the tail is rendered whole)."""
        end = tail.find("\n") if len(tail) >= MIN_CHARS else -1  # (each tick: no copy of the tail)
        fence = fences.opening(tail[:end]) if end >= 0 else None
        if fence is None or fence[:1] not in "`~":
            return None  # short, not a fence, or one indented or quoted (inside a list or a quote)
        first, code = tail[:end], tail[end + 1 :]
        if any(fences.closes(line, fence) for line in code.split("\n")):
            return None
        table = _code_table(document, tail_start)
        if table is None:
            return None
        code_cell = table.cellAt(1, 0)
        if _cell_text(code_cell) != code.rstrip("\n"):
            return None  # the renderer made something else of it (plain text, a repaired fence)
        language = _cell_text(table.cellAt(0, 0)).strip()
        key = _copy_key(table.cellAt(0, 1))
        base, block_format = _code_formats(code_cell)
        frame = _frame_for(table, block_format)
        block = cls(renderer, frame, base, first + "\n", "" if language == "text" else language, key)
        block.update(tail)
        return block

    def update(self, tail: str) -> bool:
        """Show ``tail`` (the same fence, grown); False if it is not that any more."""
        if not tail.startswith(self._opening) or len(tail) < self._shown_from:
            return False
        text = tail[self._shown_from :]
        head, _, partial = text.rpartition("\n")
        if partial.strip() and self._fence.startswith(partial.strip()[: len(self._fence)]):
            text = head  # a closing fence half written: not code
        text = text.rstrip("\n")
        cursor = self._frame.lastCursorPosition()
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        for piece, look in self._renderer.code_tokens(text, self._language, self._style):
            lines = piece.split("\n")
            for index, line in enumerate(lines):
                if index:
                    cursor.insertBlock()
                if line:
                    cursor.insertText(line, self._format(look))
        cursor.endEditBlock()
        self._shown_from += len(text) - len(text.rsplit("\n", 1)[-1])
        if self._key:
            self._renderer.code_snippets[self._key] = tail[len(self._opening) :].rstrip("\n")
        return True

    def _format(self, look: TokenLook) -> QTextCharFormat:
        char_format = self._formats.get(look)
        if char_format is None:
            colour, bold, italic = look
            char_format = QTextCharFormat(self._base)
            if colour:
                char_format.setForeground(QBrush(QColor(f"#{colour}")))
            if bold:
                char_format.setFontWeight(QFont.Weight.Bold)
            char_format.setFontItalic(italic)
            self._formats[look] = char_format
        return char_format


def _code_table(document: RowDocument, start: int) -> QTextTable | None:
    """The last top-level table at or after ``start``: a code box has two rows (header, code)."""
    for frame in reversed(document.rootFrame().childFrames()):
        if isinstance(frame, QTextTable) and frame.firstPosition() >= start:
            return frame if frame.rows() == 2 and frame.columns() == 2 else None
        if frame.lastPosition() < start:
            break
    return None


def _code_formats(cell: QTextTableCell) -> tuple[QTextCharFormat, QTextBlockFormat]:
    """The character format of the code (uncoloured) and the block format of its lines."""
    cursor = cell.firstCursorPosition()
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    base = QTextCharFormat(cursor.charFormat())
    base.clearForeground()
    base.setFontWeight(QFont.Weight.Normal)
    base.setFontItalic(False)
    base.setAnchor(False)
    line = QTextBlockFormat(cursor.blockFormat())
    line.setTopMargin(0)
    line.setBottomMargin(0)
    return base, line


def _frame_for(table: QTextTable, line: QTextBlockFormat) -> QTextFrame:
    """The code row of the box becomes a frame under its header row, looking the same."""
    table_format = table.format()
    frame_format = QTextFrameFormat()
    frame_format.setBackground(table_format.background())
    frame_format.setPadding(table_format.cellPadding())
    frame_format.setMargin(0)
    frame_format.setBorder(0)
    table.removeRows(1, 1)
    table_format.clearBackground()  # square while it grows: the corners are rounded for code tables
    table.setFormat(table_format)
    cursor = QTextCursor(table.document())
    cursor.setPosition(table.lastPosition() + 1)  # the block after the table
    frame = cursor.insertFrame(frame_format)
    inside = frame.firstCursorPosition()
    inside.setBlockFormat(line)
    return frame


def _cell_text(cell: QTextTableCell) -> str:
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText().replace("\u2029", "\n").replace("\u2028", "\n")


def _copy_key(cell: QTextTableCell) -> str:
    """The key of the box's Copy link (``copy:code-<key>``), or "" if it has none."""
    block = cell.firstCursorPosition().block()
    iterator = block.begin()
    while not iterator.atEnd():
        href = iterator.fragment().charFormat().anchorHref()
        if href.startswith(f"{COPY_SCHEME}:code-"):
            return href.removeprefix(f"{COPY_SCHEME}:code-")
        iterator += 1
    return ""
