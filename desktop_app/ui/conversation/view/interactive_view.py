"""The conversation view's input: selecting and copying text, links, keys, find highlights.

Text is selected with the mouse within a message or across several (Shift+click extends); Ctrl+A
selects the whole conversation and Ctrl+C copies it as text, markdown and rich text. Keys reach any
message at once (Ctrl+Home/End, PageUp/PageDown), Ctrl+Up/Down move between messages and the Menu key
opens the current message's actions. Links open in the system browser only for http(s).
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAccessible,
    QAccessibleEvent,
    QColor,
    QContextMenuEvent,
    QDesktopServices,
    QFocusEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QWidget

from desktop_app.core.rendering.layout.matches import FindResults, Match, positions
from desktop_app.core.rendering.markdown_render import COPY_SCHEME, is_safe_url
from desktop_app.core.rendering.theme import Theme
from desktop_app.core.rendering.turn_html import REASONING_SCHEME, TOOL_SCHEME
from desktop_app.ui.conversation.view.conversation_view import ConversationView
from desktop_app.ui.conversation.view.row_document import RowDocument
from desktop_app.ui.conversation.view.row_painter import highlight
from desktop_app.ui.conversation.view.rows import RowKind
from desktop_app.ui.conversation.view.selection import END, Spot, TextSelection, cursor_for, mime_for

Selection = QAbstractTextDocumentLayout.Selection
FLASH_MS = 2500  # how long a search result's match stays highlighted


class InteractiveView(ConversationView):
    """Signals:
    copied(str): something was put on the clipboard (a line for the status bar).
    tool_clicked(str): the user clicked a tool call's marker (its id).
    context_menu_requested(int, QPoint): the actions of row (index) at a global position.
    link_used(): one of the view's own links (a copy link, a tool marker, show/hide) was clicked.
    """

    copied = Signal(str)
    tool_clicked = Signal(str)
    context_menu_requested = Signal(int, QPoint)
    link_used = Signal()

    def __init__(self, parent: QWidget | None = None, theme: Theme | None = None) -> None:
        super().__init__(parent, theme)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.selection: TextSelection | None = None
        self._pressed_link = ""
        self._dragging = False
        self.find_query = ""
        self.find_results: FindResults | None = None
        self._find_current: Match | None = None
        self._find_cache: dict[str, list[int]] = {}  # row key -> match positions in its document
        self._flash: tuple[str, int, int] | None = None  # row key, position, length
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._end_flash)

    # -- hit testing ------------------------------------------------------------------------
    def spot_at(self, point: QPoint) -> tuple[Spot, str]:
        """The row and document position under a viewport point, and the link there."""
        y = point.y() + self.verticalScrollBar().value()
        index = self.heights.row_at(y)
        document = self.document_for(index)
        origin = self.column.text_origin(self.rows[index], self.row_top(index), document)
        local = QPointF(point) - origin
        layout = document.documentLayout()
        if local.y() < 0:
            return Spot(index, 0), ""
        if local.y() > document.size().height():
            return Spot(index, max(document.characterCount() - 1, 0)), ""
        position = layout.hitTest(local, Qt.HitTestAccuracy.FuzzyHit)
        return Spot(index, max(position, 0)), layout.anchorAt(local)

    def link_point(self, prefix: str) -> QPoint | None:
        """Where on the viewport the first link on screen whose address starts with ``prefix`` is
        drawn (None if none is): the inverse of ``spot_at``."""
        first, last = self.visible_rows()
        for index in range(first, last + 1):
            document = self.document_for(index)
            block = document.begin()
            while block.isValid():
                iterator = block.begin()
                while not iterator.atEnd():
                    fragment = iterator.fragment()
                    if fragment.charFormat().anchorHref().startswith(prefix):
                        inside = fragment.position() - block.position() + min(1, fragment.length() - 1)
                        layout = block.layout()
                        line = layout.lineForTextPosition(inside)
                        rect = document.documentLayout().blockBoundingRect(block)
                        origin = self.column.text_origin(self.rows[index], self.row_top(index), document)
                        in_line = cast("tuple[float, int]", line.cursorToX(inside))[0]  # PySide6: (x, pos)
                        x = origin.x() + rect.left() + in_line + 2
                        y = origin.y() + rect.top() + line.y() + line.height() / 2
                        return QPoint(round(x), round(y))
                    iterator += 1
                block = block.next()
        return None

    # -- mouse ------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if not self.rows:
            return
        spot, link = self.spot_at(event.position().toPoint())
        self.current_row = spot.row
        if event.button() == Qt.MouseButton.LeftButton:
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if shift and self.selection is not None:
                self.selection = TextSelection(self.selection.anchor, spot)
            else:
                self.selection = TextSelection(spot, spot)
            self._pressed_link = link
            self._dragging = True
        self.viewport().update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if not self.rows or event.button() != Qt.MouseButton.LeftButton:
            return
        spot, _link = self.spot_at(event.position().toPoint())
        cursor = QTextCursor(self.document_for(spot.row))
        cursor.setPosition(spot.position)
        cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        self.selection = TextSelection(
            Spot(spot.row, cursor.selectionStart()), Spot(spot.row, cursor.selectionEnd())
        )
        self._dragging = False
        self.viewport().update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if not self.rows:
            return
        if self._dragging and event.buttons() & Qt.MouseButton.LeftButton and self.selection is not None:
            height = self.viewport().height()
            if point.y() < 0 or point.y() > height:  # dragging past an edge scrolls
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() + (point.y() if point.y() < 0 else point.y() - height))
            inside = QPoint(point.x(), min(max(point.y(), 0), height - 1))
            spot, _link = self.spot_at(inside)
            self.selection = TextSelection(self.selection.anchor, spot)
            self.viewport().update()
            return
        spot, link = self.spot_at(point)
        shape = Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(shape)
        self.viewport().setToolTip(link if link.startswith(("http://", "https://")) else "")
        if spot.row != self.hovered_row:
            self.hovered_row = spot.row
            self.hover_changed()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._dragging = False
        if event.button() != Qt.MouseButton.LeftButton or not self.rows:
            return
        _spot, link = self.spot_at(event.position().toPoint())
        if link and link == self._pressed_link and (self.selection is None or self.selection.empty):
            self.open_link(QUrl(link))
        self._pressed_link = ""

    def leaveEvent(self, event: object) -> None:
        self.hover_changed()

    def hover_changed(self) -> None:
        """Hook: the row under the mouse changed (the action bar follows it)."""

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if not self.rows:
            return
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            spot, _link = self.spot_at(event.pos())
            index = spot.row
        else:
            index = self.keyboard_row()
        self.current_row = index
        self.context_menu_requested.emit(index, event.globalPos())

    # -- links ------------------------------------------------------------------------------
    def open_link(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == COPY_SCHEME:
            self.copy_target(url.path())
        elif scheme == TOOL_SCHEME:
            self.tool_clicked.emit(url.path())
        elif scheme == REASONING_SCHEME:
            self.toggle_reasoning(url.path())
        elif scheme in ("http", "https") and is_safe_url(url.toString()):
            QDesktopServices.openUrl(url)
            return
        else:
            return
        self.link_used.emit()

    def copy_target(self, target: str) -> None:
        """A code block's copy link (``code-<key>``)."""
        kind, _, key = target.partition("-")
        text = self._renderer.code_snippets.get(key) if kind == "code" else None
        if text is not None:
            self.put_on_clipboard(text, "Code")

    def put_on_clipboard(self, text: str, what: str) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(text)
            self.copied.emit(f"{what} copied to the clipboard.")

    def toggle_reasoning(self, key: str) -> None:
        index = self.row_index(key)
        if index < 0:
            return
        if self.document_for(index).toggle_reasoning(key, self.rows[index].reasoning, self.turns):
            self.row_resized(index)

    # -- keys -------------------------------------------------------------------------------
    def keyboard_row(self) -> int:
        """The message the keyboard acts on: the current one if on screen, else the first shown."""
        first, last = self.visible_rows()
        return self.current_row if first <= self.current_row <= last else first

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        bar = self.verticalScrollBar()
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
        elif key == Qt.Key.Key_Home:
            self.scroll_to_top()
        elif key == Qt.Key.Key_End:
            self.scroll_to_end()
        elif key == Qt.Key.Key_PageUp:
            bar.setValue(bar.value() - max(bar.pageStep() - 40, 40))
        elif key == Qt.Key.Key_PageDown:
            bar.setValue(bar.value() + max(bar.pageStep() - 40, 40))
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and ctrl:
            self.move_current(-1 if key == Qt.Key.Key_Up else 1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            bar.setValue(bar.value() + (-bar.singleStep() if key == Qt.Key.Key_Up else bar.singleStep()))
        elif key == Qt.Key.Key_Menu or (
            key == Qt.Key.Key_F10 and modifiers & Qt.KeyboardModifier.ShiftModifier
        ):
            index = self.keyboard_row()
            if index >= 0 and self.rows:
                self.current_row = index
                rect = self.row_rect(index).toAlignedRect()
                self.context_menu_requested.emit(index, self.viewport().mapToGlobal(rect.topLeft()))
        else:
            event.ignore()
            return
        event.accept()

    def move_current(self, step: int) -> None:
        if not self.rows:
            return
        self.current_row = min(max(self.keyboard_row() + step, 0), len(self.rows) - 1)
        self.setCurrentIndex(self.row_model.index(self.current_row, 0))
        self.scrollTo(self.row_model.index(self.current_row, 0))
        self.viewport().update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    # -- text -------------------------------------------------------------------------------
    def plain_text_of(self, index: int) -> str:
        """What row ``index`` shows, as text (its document built for the moment if need be)."""
        row = self.rows[index]
        if row.kind is not RowKind.REPLY and not row.attachments:
            return row.text
        return self.document_for(index, keep=self.has_document(index)).toPlainText()

    def toPlainText(self) -> str:
        """The whole conversation as text: each prompt after "You", each reply under its author."""
        parts = []
        for index, row in enumerate(self.rows):
            text = self.plain_text_of(index)
            parts.append(f"You\n{text}" if row.kind is RowKind.USER else text)
        return "\n\n".join(parts)

    def is_message_visible(self, key: str) -> bool:
        """Whether a message (by row key or stored id) is on screen now."""
        index = self.row_index(key)
        if index < 0:
            return False
        rect = self.row_rect(index)
        return rect.bottom() > 0 and rect.top() < self.viewport().height()

    def row_text_changed(self, index: int) -> None:
        """A row says something new (a reply ended): the model and assistive technology hear it."""
        self.row_model.dataChanged.emit(self.row_model.index(index), self.row_model.index(index))
        if QAccessible.isActive():
            event = QAccessibleEvent(self, QAccessible.Event.NameChanged)
            event.setChild(index)
            QAccessible.updateAccessibility(event)

    # -- selection and copy -----------------------------------------------------------------
    def select_all(self) -> None:
        if self.rows:
            self.selection = TextSelection(Spot(0, 0), Spot(len(self.rows) - 1, END))
            self.viewport().update()

    def selected_text(self) -> str:
        if self.selection is None or self.selection.empty:
            return ""
        return mime_for(self.selection, self.rows, self._document_for_copy).text()

    def _document_for_copy(self, index: int) -> RowDocument:
        return self.document_for(index, keep=self.has_document(index))

    def copy_selection(self) -> bool:
        if self.selection is None or self.selection.empty:
            return False
        clipboard = QGuiApplication.clipboard()
        if clipboard is None:
            return False
        clipboard.setMimeData(mime_for(self.selection, self.rows, self._document_for_copy))
        self.copied.emit("Copied to the clipboard.")
        return True

    def selections_for(self, index: int, document: RowDocument) -> list[Selection]:
        chosen: list[Selection] = []
        key = self.rows[index].key
        if self.find_query and self.find_results is not None and self.find_results.count_in(index):
            found = self._find_positions(index, document)
            match_format = highlight(self.theme.find_match)
            current_format = highlight(self.theme.find_current)
            length = len(self.find_query)
            current = self._find_current
            for occurrence, start in enumerate(found):
                is_current = current is not None and current.row == index and current.occurrence == occurrence
                chosen.append(
                    self._range(
                        document, start, start + length, current_format if is_current else match_format
                    )
                )
        if self._flash is not None and self._flash[0] == key:
            _key, start, length = self._flash
            chosen.append(self._range(document, start, start + length, highlight(self.theme.find_current)))
        span = self.selection.range_in(index) if self.selection is not None else None
        if span is not None:
            palette = self.palette()
            chosen.append(
                self._range(
                    document,
                    *span,
                    highlight(
                        palette.color(QPalette.ColorRole.Highlight).name(),
                        QColor(palette.color(QPalette.ColorRole.HighlightedText)),
                    ),
                )
            )
        return chosen

    @staticmethod
    def _range(document: RowDocument, start: int, end: int, char_format: QTextCharFormat) -> Selection:
        selection = Selection()
        selection.cursor = cursor_for(document, (start, end))
        selection.format = char_format
        return selection

    # -- find -------------------------------------------------------------------------------
    def _find_positions(self, index: int, document: RowDocument) -> list[int]:
        key = self.rows[index].key
        found = self._find_cache.get(key)
        if found is None:
            found = positions(document.toPlainText(), self.find_query)
            self._find_cache[key] = found
            if self.find_results is not None:
                self.find_results.recount(index, len(found))
        return found

    def find_text(self, query: str) -> int:
        """Highlight every match of ``query`` in the whole conversation; returns how many."""
        self.find_query = query
        self._find_cache.clear()
        self._find_current = None
        if not query:
            self.find_results = None
            self.viewport().update()
            return 0
        counts = []
        for index, row in enumerate(self.rows):
            text = self.document_for(index).toPlainText() if self.has_document(index) else row.text
            counts.append(len(positions(text, query)))
        self.find_results = FindResults(counts)
        first, _last = self.visible_rows()
        match = self.find_results.first_from(max(first, 0))
        self._go_to_match(match)
        return self.find_results.total

    def find_step(self, forward: bool = True) -> Match | None:
        if self.find_results is None:
            return None
        match = self.find_results.step(forward)
        self._go_to_match(match)
        return self._find_current

    def clear_find(self) -> None:
        self.find_text("")

    def _go_to_match(self, match: Match | None) -> None:
        results = self.find_results
        if match is not None and results is not None:
            document = self.document_for(match.row)
            found = self._find_positions(match.row, document)  # may recount from the document
            if not found:
                match = results.step(True) if results.total else None
                if match is not None:
                    document = self.document_for(match.row)
                    found = self._find_positions(match.row, document)
            if match is not None and found:
                occurrence = min(match.occurrence, len(found) - 1)
                match = Match(match.row, occurrence)
                self._reveal(match.row, found[occurrence])
        self._find_current = match
        self.viewport().update()

    def _reveal(self, index: int, position: int) -> None:
        """Scroll so that ``position`` in row ``index`` is on screen, a third of the way down."""
        document = self.document_for(index)
        cursor = QTextCursor(document)
        cursor.setPosition(min(position, max(document.characterCount() - 1, 0)))
        line_top = document.documentLayout().blockBoundingRect(cursor.block()).top()
        layout = cursor.block().layout()
        if layout is not None and layout.lineCount():
            line = layout.lineForTextPosition(cursor.positionInBlock())
            if line.isValid():
                line_top += line.y()
        origin = self.column.text_origin(self.rows[index], 0, document)
        self.scroll_to_row(index, origin.y() + line_top - self.viewport().height() / 3)

    def show_match(self, key: str, query: str) -> bool:
        """Bring a message to the screen with the first place it says ``query`` highlighted (a
        search result); any word of the query if not the whole of it. False if it is not here."""
        index = self.row_index(key)
        if index < 0:
            return False
        parts = [index]  # a long reply's parts follow its first
        while not self.rows[parts[-1]].last_part and parts[-1] + 1 < len(self.rows):
            parts.append(parts[-1] + 1)
        for candidate in [query.strip(), *sorted(query.split(), key=len, reverse=True)]:
            word = candidate.strip('"*')
            for part in parts if word else []:
                found = positions(self.document_for(part).toPlainText(), word)
                if found:
                    self._flash = (self.rows[part].key, found[0], len(word))
                    self._flash_timer.start(FLASH_MS)
                    self._reveal(part, found[0])
                    self.viewport().update()
                    return True
        self.scroll_to_row(index)
        return True

    def _end_flash(self) -> None:
        self._flash = None
        self.viewport().update()
