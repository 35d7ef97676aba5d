"""One message's document: its sanitized HTML, and the edits a streaming reply makes to it.

Every fragment goes through ``sanitize.for_view`` here and nowhere else, so nothing inserted can be
live markup. The document never loads a resource (``NoResourceDocument``).
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtGui import QFont, QTextCursor, QTextFormat, QTextOption

from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.turn_html import REASONING_SCHEME, TurnHtml
from desktop_app.ui.conversation.safe_document import NoResourceDocument

HEADING_SCALE = {1: 1.45, 2: 1.28, 3: 1.12}  # Qt ignores CSS sizes on headings (it doubles h1)


class RowDocument(NoResourceDocument):
    """A message's rich text, laid out at the width the view gives it."""

    def __init__(self, css: str, font: QFont) -> None:
        super().__init__()
        self.setUndoRedoEnabled(False)
        self.setDocumentMargin(0)
        self.setDefaultFont(font)
        self.setDefaultStyleSheet(css)
        option = QTextOption()
        # A 100 KB word (base64, minified code) must wrap, not make one endless line.
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setDefaultTextOption(option)
        self.laid_out_width = -1.0
        self._font_px = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
        self.expanded: set[str] = set()  # reasoning keys shown open

    def fit(self, width: float, shrink: bool = False) -> None:
        """Lay out at ``width`` (once per width). ``shrink``: then at the text's own width, as a
        prompt's bubble is, so right-to-left lines align right inside the bubble, not past it."""
        if self.laid_out_width == width:
            return
        self.setTextWidth(width)
        if shrink:
            ideal = self.idealWidth()
            if ideal < width:
                self.setTextWidth(min(ideal + 1, width))
        self.laid_out_width = width

    def set_html(self, fragment: str, clean: bool = False) -> None:
        """The whole document (sanitized here unless ``clean``: it came from ``sanitize.for_view``)."""
        self.setHtml(fragment if clean else sanitize.for_view(fragment))
        self._size_headings(0, self.end_position())

    def keep_first_margin(self) -> None:
        """Qt drops the top margin of a document's first block; a part of a long reply keeps it
        (as the root frame's), so the parts stand as far apart as the blocks of one document."""
        margin = self.begin().blockFormat().topMargin()
        if margin > 0:
            frame_format = self.rootFrame().frameFormat()
            frame_format.setTopMargin(margin)
            self.rootFrame().setFrameFormat(frame_format)

    def _size_headings(self, start: int, end: int) -> None:
        """Headings at the reading size's scale instead of Qt's own (2x for h1)."""
        block = self.findBlock(start)
        while block.isValid() and block.position() <= end:
            level = block.blockFormat().headingLevel()
            if level:
                pixels = round(self._font_px * HEADING_SCALE.get(level, 1.0))
                spans = []
                iterator = block.begin()
                while not iterator.atEnd():  # collected first: a format change merges fragments
                    fragment = iterator.fragment()
                    spans.append((fragment.position(), fragment.length(), fragment.charFormat()))
                    iterator += 1
                for position, length, char_format in spans:
                    char_format.clearProperty(QTextFormat.Property.FontSizeAdjustment)
                    char_format.setProperty(QTextFormat.Property.FontPixelSize, pixels)
                    cursor = QTextCursor(self)
                    cursor.setPosition(position)
                    cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(char_format)
            block = block.next()

    def end_position(self) -> int:
        cursor = QTextCursor(self)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor.position()

    def insert_html(self, cursor: QTextCursor, fragment: str) -> None:
        # insertHtml merges the fragment's first block into the cursor's block and drops its
        # format (a heading would lose its size); a throw-away first paragraph takes that hit.
        position = cursor.position()
        cursor.insertHtml("<p>\u2063</p>" + sanitize.for_view(fragment))
        marker = QTextCursor(self)
        marker.setPosition(position)
        marker.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
        if marker.selectedText() == "\u2063":
            marker.removeSelectedText()
        self._size_headings(position, cursor.position())

    def append_html(self, fragment: str) -> None:
        cursor = QTextCursor(self)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.insert_html(cursor, fragment)

    def tail_cursor(self, start: int) -> QTextCursor:
        """A cursor selecting from ``start`` to the end."""
        cursor = QTextCursor(self)
        cursor.setPosition(min(start, self.end_position()))
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def anchor_position(self, href: str) -> int | None:
        """Where the link (or named anchor) ``href`` is, if the document has it."""
        block = self.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid():
                    char_format = fragment.charFormat()
                    if char_format.anchorHref() == href or href in char_format.anchorNames():
                        return fragment.position()
                iterator += 1
            block = block.next()
        return None

    def toggle_reasoning(self, key: str, text: str, turns: TurnHtml) -> bool:
        """Show or hide the reasoning in place (its box is a one-cell table); False if not here."""
        position = self.anchor_position(f"{REASONING_SCHEME}:{key}")
        if position is None:
            return False
        cursor = QTextCursor(self)
        cursor.setPosition(position)
        table = cursor.currentTable()
        if table is None:
            return False
        expanded = key not in self.expanded
        self.expanded.symmetric_difference_update({key})
        cell = table.cellAt(0, 0)
        cursor.setPosition(cell.firstCursorPosition().position())
        cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        cursor.insertHtml(sanitize.for_view(turns.reasoning_body(text, key, expanded)))
        cursor.endEditBlock()
        return True


class HtmlCache:
    """Each row's sanitized HTML, newest used last, up to ``limit`` characters in all: a document
    dropped off screen comes back for the price of a ``setHtml``, not a render and a sanitize."""

    def __init__(self, limit: int = 24_000_000) -> None:
        self._limit = limit
        self._size = 0
        self._html: OrderedDict[str, str] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._html

    def get(self, key: str) -> str | None:
        html = self._html.get(key)
        if html is not None:
            self._html.move_to_end(key)
        return html

    def put(self, key: str, html: str) -> None:
        self.drop(key)
        self._html[key] = html
        self._size += len(html)
        while self._size > self._limit and self._html:
            _key, old = self._html.popitem(last=False)
            self._size -= len(old)

    def drop(self, key: str) -> None:
        old = self._html.pop(key, None)
        if old is not None:
            self._size -= len(old)

    def clear(self) -> None:
        self._html.clear()
        self._size = 0
