"""A conversation's document: saved messages, rendered newest first, and what every reply offers.

The base of ``ChatView`` (which adds the reply that streams). Saved messages are shown newest first
and older ones as the user scrolls up; links copy code or a reply, show a tool call or a reply's
reasoning, and open in the system browser only for http(s). Nothing the document shows is loaded
from anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.markdown_render import (
    COPY_SCHEME,
    MarkdownRenderer,
    is_safe_url,
    pygments_css,
)
from desktop_app.core.rendering.theme import Theme, theme_for
from desktop_app.core.rendering.turn_html import REASONING_SCHEME, TOOL_SCHEME, TurnHtml, base_css
from desktop_app.core.storage.history import CHUNK_BUDGET, FIRST_BUDGET, split_newest
from desktop_app.core.storage.models import Message, Role, SavedToolCall, Status
from desktop_app.ui.conversation.safe_document import NoResourceDocument


class ConversationDocument(QTextBrowser):
    """Read-only view of one conversation's saved messages.

    Signals:
        copied(str): a Copy link put something on the clipboard (a line for the status bar).
        theme_changed(str): the system palette switched between light and dark ("light"/"dark").
        tool_clicked(str): the user clicked a tool call's marker (its id).
    """

    copied = Signal(str)
    theme_changed = Signal(str)
    tool_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None, theme: Theme | None = None) -> None:
        super().__init__(parent)
        self.setDocument(NoResourceDocument(self))  # model text can name files: never load one
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._open_link)
        self.setAccessibleName("Conversation")
        document = self.document()
        document.setUndoRedoEnabled(False)
        self._follow_palette = theme is None
        # Unsanitized here: every fragment the view inserts is sanitized once, in _insert_html.
        self._renderer = MarkdownRenderer(clean=str)
        self._apply_theme(theme or theme_for(self.palette().base().color().lightness()))
        # A 100 KB word (base64, minified code) must wrap, not make one endless line.
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._tail_start = 0  # where the text still to be replaced begins (a streaming reply's tail)
        self._reply_start = 0  # where the streaming reply (after its reasoning) begins
        self._placeholder = ""
        self._positions: dict[str, int] = {}  # message id -> where it starts in the document
        self._sources: dict[str, str] = {}  # reply key -> its markdown, for the Copy links
        self._tool_positions: dict[str, int] = {}  # tool call id -> where its marker is
        self._saved_calls: dict[str, list[SavedToolCall]] = {}  # reply id -> its saved tool calls
        self._message_of_call: dict[str, str] = {}  # saved tool call id -> its reply id
        self._reasoning_texts: dict[str, str] = {}  # reply key -> its reasoning (to show it again)
        self._expanded: set[str] = set()
        self._plain_renderer: MarkdownRenderer | None = None
        self._older: list[Message] = []  # saved messages above the shown ones, not rendered yet
        self._loading_older = False
        # HTML of the next older chunk, rendered while the user reads (theme it was rendered in).
        self._prepared: dict[str, str] = {}
        self._prepared_theme: Theme | None = None
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _apply_theme(self, theme: Theme) -> None:
        """Colours for what is rendered from now on (the stylesheet applies when HTML is parsed)."""
        self.theme = theme
        self._html = TurnHtml(theme)
        self._renderer.code_background = theme.code_background
        font_pt = self.font().pointSizeF()  # the system font size (accessibility settings included)
        self.document().setDefaultStyleSheet(base_css(theme, font_pt) + pygments_css(theme.pygments_style))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_theme(self.theme)  # the system font size changed: new text follows it
            self.theme_changed.emit(self.theme.name)  # the window re-renders what is shown
        if event.type() == QEvent.Type.PaletteChange and self._follow_palette:
            theme = theme_for(self.palette().base().color().lightness())
            if theme is not self.theme:
                self._apply_theme(theme)
                self.theme_changed.emit(theme.name)

    def set_placeholder(self, text: str) -> None:
        """What an empty conversation says (where answers come from, how to start)."""
        self._placeholder = text
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._placeholder and self.document().isEmpty():
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            rect = self.viewport().rect().adjusted(24, 24, -24, -24)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(rect, int(flags), self._placeholder)
            painter.end()

    def add_user_message(self, text: str) -> None:
        self._append_html(self._html.user(text))

    def scroll_to_tool(self, call_id: str) -> bool:
        position = self._tool_positions.get(call_id)
        if position is None:
            message_id = self._message_of_call.get(call_id)
            if message_id is None or not self.scroll_to_message(message_id):
                return False
            self.scrollToAnchor(f"tool-{call_id}")  # a saved call: its marker is in the reply
            return True
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(position + 1, self._end_position()))
        rect = self.document().documentLayout().blockBoundingRect(cursor.block())
        self.verticalScrollBar().setValue(int(max(0.0, rect.top() - self.viewport().height() / 3)))
        return True

    def scroll_to_message(self, message_id: str) -> bool:
        """Bring a shown message to the top of the view (a search result, say)."""
        while message_id not in self._positions and any(m.id == message_id for m in self._older):
            self.load_older()
        position = self._positions.get(message_id)
        if position is None:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(position + 1, self._end_position()))
        block_top = self.document().documentLayout().blockBoundingRect(cursor.block()).top()
        self.verticalScrollBar().setValue(int(block_top))
        self.setTextCursor(cursor)
        return True

    def clear_conversation(self) -> None:
        self._positions.clear()
        self._tool_positions.clear()
        self._saved_calls.clear()
        self._message_of_call.clear()
        self._older = []
        self._prepared.clear()
        self.document().clear()
        self._tail_start = self._reply_start = 0

    def show_messages(self, messages: Sequence[Message], tool_calls: Sequence[SavedToolCall] = ()) -> None:
        """A saved conversation: its newest messages at once, older ones as the user scrolls up."""
        self.clear_conversation()
        for saved in tool_calls:
            if saved.message_id is not None:
                self._saved_calls.setdefault(saved.message_id, []).append(saved)
                self._message_of_call[saved.call.id] = saved.message_id
        self._older, newest = split_newest(messages, FIRST_BUDGET)
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()  # one relayout for all of them, not one per message
        for message in newest:
            cursor.movePosition(QTextCursor.MoveOperation.End)
            self._positions[message.id] = cursor.position()
            self._insert_html(cursor, self._message_html(message))
        cursor.endEditBlock()
        self._tail_start = self._end_position()
        self._scroll_to_bottom()
        self._prepare_older_soon()

    @property
    def older_count(self) -> int:
        """Saved messages not rendered yet (above what is shown)."""
        return len(self._older)

    def load_older(self) -> None:
        """Render the next chunk of older messages above the shown ones, keeping the view still."""
        if not self._older:
            return
        self._older, chunk = split_newest(self._older, CHUNK_BUDGET, min_count=1)
        prepared = self._prepared if self._prepared_theme is self.theme else {}
        bar = self.verticalScrollBar()
        before_value, before_height = bar.value(), self.document().size().height()
        before_chars = self.document().characterCount()
        cursor = QTextCursor(self.document())
        starts: dict[str, int] = {}
        cursor.beginEditBlock()  # Qt lays out everything below an insertion: do it once
        for message in chunk:
            starts[message.id] = cursor.position()
            html = prepared.pop(message.id, None)  # _message_html already kept its source
            self._insert_html(cursor, html if html is not None else self._message_html(message))
        cursor.endEditBlock()
        self._prepared.clear()
        shift = self.document().characterCount() - before_chars
        self._positions = {mid: pos + shift for mid, pos in self._positions.items()} | starts
        self._tool_positions = {tid: pos + shift for tid, pos in self._tool_positions.items()}
        self._tail_start += shift
        self._reply_start += shift
        bar.setValue(before_value + int(self.document().size().height() - before_height))
        self._prepare_older_soon()

    def _prepare_older_soon(self) -> None:
        if self._older:
            QTimer.singleShot(0, self._prepare_older)

    @Slot()
    def _prepare_older(self) -> None:
        """Render the next chunk's HTML now, so scrolling up to it only costs Qt's layout."""
        if self._prepared:
            return
        _rest, chunk = split_newest(self._older, CHUNK_BUDGET, min_count=1)
        self._prepared_theme = self.theme
        self._prepared = {m.id: self._message_html(m) for m in chunk}

    @Slot(int)
    def _scrolled(self, value: int) -> None:
        if self._older and value < self.viewport().height() and not self._loading_older:
            self._loading_older = True
            QTimer.singleShot(0, self._load_older_later)

    @Slot()
    def _load_older_later(self) -> None:
        self._loading_older = False
        self.load_older()

    def _message_html(self, message: Message) -> str:
        if message.role is Role.USER:
            return self._html.user(message.content)
        if message.role is Role.NOTICE:
            return self._html.notice(message.content, "error" if message.status is Status.ERROR else "info")
        self._sources[message.id] = message.content
        parts = [self._html.assistant_header(message.id)]
        if message.reasoning:
            self._reasoning_texts[message.id] = message.reasoning
            parts.append(self._html.reasoning(message.reasoning, message.id, expanded=False))
        parts.extend(self._reply_with_markers(message))
        if message.status is Status.INTERRUPTED:
            parts.append(self._html.notice("This reply was cut off when the app closed.", "warning"))
        return "".join(parts)

    def toggle_reasoning(self, key: str) -> None:
        """Show or hide one reply's reasoning, in place (its box is a one-cell table)."""
        text = self._reasoning_texts.get(key)
        position = self._anchor_position(f"{REASONING_SCHEME}:{key}")
        if text is None or position is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        table = cursor.currentTable()
        if table is None:
            return
        expanded = key not in self._expanded
        self._expanded.symmetric_difference_update({key})
        cell = table.cellAt(0, 0)
        start, end = cell.firstCursorPosition().position(), cell.lastCursorPosition().position()
        before = self.document().characterCount()
        bar = self.verticalScrollBar()
        scroll = bar.value()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        cursor.insertHtml(sanitize.for_view(self._html.reasoning_body(text, key, expanded)))
        cursor.endEditBlock()
        self._shift_after(end, self.document().characterCount() - before)
        bar.setValue(scroll)

    def _anchor_position(self, href: str) -> int | None:
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid() and fragment.charFormat().anchorHref() == href:
                    return fragment.position()
                iterator += 1
            block = block.next()
        return None

    def _shift_after(self, position: int, delta: int) -> None:
        """Positions past an edit above the end move with it."""
        if not delta:
            return

        def moved(p: int) -> int:
            return p + delta if p >= position else p

        self._positions = {k: moved(p) for k, p in self._positions.items()}
        self._tool_positions = {k: moved(p) for k, p in self._tool_positions.items()}
        self._tail_start = moved(self._tail_start)
        self._reply_start = moved(self._reply_start)

    def _reply_with_markers(self, message: Message) -> list[str]:
        """A saved reply, cut where its tool calls ran, with a marker for each."""
        calls = sorted(self._saved_calls.get(message.id, []), key=lambda s: s.offset)
        parts: list[str] = []
        start = 0
        for saved in calls:
            cut = max(start, min(saved.offset, len(message.content)))
            if message.content[start:cut].strip():
                parts.append(self._renderer.render(message.content[start:cut]))
            parts.append(self._html.tool_marker(saved.call.id, saved.call.label))
            start = cut
        if message.content[start:].strip() or not calls:
            parts.append(self._renderer.render(message.content[start:]))
        return parts

    def _end_position(self) -> int:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor.position()

    def _tail_cursor(self) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(self._tail_start, self._end_position()))
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _insert_html(self, cursor: QTextCursor, fragment: str) -> None:
        # insertHtml merges the fragment's first block into the cursor's block and drops its
        # format (a heading would lose its size); a throw-away first paragraph takes that hit.
        position = cursor.position()
        cursor.insertHtml("<p>\u2063</p>" + sanitize.for_view(fragment))
        marker = QTextCursor(self.document())
        marker.setPosition(position)
        marker.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
        if marker.selectedText() == "\u2063":
            marker.removeSelectedText()

    def _append_html(self, fragment: str) -> None:
        keep_bottom = self._at_bottom()
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self._insert_html(cursor, fragment)
        self._tail_start = self._end_position()
        if keep_bottom:
            self._scroll_to_bottom()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A bar appearing below the view (a waiting prompt, a request) must not unpin it from the end.
        keep_bottom = self._at_bottom()
        super().resizeEvent(event)
        if keep_bottom:
            self._scroll_to_bottom()

    def _at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def _scroll_to_bottom(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def loadResource(self, type: int, name: QUrl | str) -> object:
        """Nothing is loaded (the document refuses too; this covers the browser's own path)."""
        return None

    @Slot(QUrl)
    def _open_link(self, url: QUrl) -> None:
        if url.scheme() == COPY_SCHEME:
            self._copy(url.path())
        elif url.scheme() == TOOL_SCHEME:
            self.tool_clicked.emit(url.path())
        elif url.scheme() == REASONING_SCHEME:
            self.toggle_reasoning(url.path())
        elif url.scheme() in ("http", "https") and is_safe_url(url.toString()):
            QDesktopServices.openUrl(url)

    def _copy(self, target: str) -> None:
        """The Copy links: a code block, a reply as text, or a reply's markdown source."""
        kind, _, key = target.partition("-")
        if kind == "code":
            text, what = self._renderer.code_snippets.get(key), "Code"
        elif kind == "markdown":
            text, what = self._sources.get(key), "Markdown"
        elif kind == "message":
            source = self._sources.get(key)
            text, what = (None if source is None else self._plain_text(source)), "Message"
        else:
            return
        if text is None:
            return
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(text)
            self.copied.emit(f"{what} copied to the clipboard.")

    def _plain_text(self, markdown_text: str) -> str:
        """A reply as the text it shows (no markdown marks, no code-block headers)."""
        if self._plain_renderer is None:
            self._plain_renderer = MarkdownRenderer(code_header=False)
        document = NoResourceDocument()
        document.setHtml(self._plain_renderer.render(markdown_text))
        return document.toPlainText().strip()
