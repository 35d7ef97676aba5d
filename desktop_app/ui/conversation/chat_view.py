"""The conversation on screen: saved messages, the reply that streams, and what each message offers.

The rows and their layout are ``ConversationView``'s, the input ``InteractiveView``'s, the streaming
document ``StreamingReply``'s; this is what the window and the presenter talk to.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QFontMetricsF, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from desktop_app.core.conversation.file_diff import FileDiff, FileTotal
from desktop_app.core.conversation.tool_outcome import OutcomeLevel, tool_outcome
from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.core.rendering.theme import Theme
from desktop_app.core.storage.models import Message, SavedToolCall
from desktop_app.core.vocabulary.attachments import Attachment
from desktop_app.core.vocabulary.targets import author_label
from desktop_app.ui.conversation.actions import version_navigator
from desktop_app.ui.conversation.actions.hover_bar import HoverBar
from desktop_app.ui.conversation.actions.message_actions import (
    MessageAction,
    MessageActions,
    is_reply_or_prompt,
)
from desktop_app.ui.conversation.safe_document import NoResourceDocument
from desktop_app.ui.conversation.view.interactive_view import InteractiveView
from desktop_app.ui.conversation.view.row_document import RowDocument
from desktop_app.ui.conversation.view.rows import Row, RowKind, give_diff, rows_for_message
from desktop_app.ui.conversation.view.streaming_reply import StreamingReply
from desktop_app.ui.platform.icons import icon

WARM_ROWS = 12  # messages either side of the screen whose HTML is rendered while idle
WARM_MAX_CHARS = 40_000  # larger ones are rendered when they come on screen (a long idle tick)
WARM_AFTER_MS = 150  # idle: no scrolling or new rows for this long


class ChatView(InteractiveView):
    """Read-only view of one conversation, with the reply that streams.

    Signals:
        streaming_rendered(int): a streaming render finished; the reply's length so far (chars).
        version_step(str, int): show the previous (-1) or next (+1) version of this prompt (its id).
        copied(str), tool_clicked(str), theme_changed(str), rows_changed(): see the bases.
    """

    streaming_rendered = Signal(int)
    version_step = Signal(str, int)

    def __init__(
        self, parent: QWidget | None = None, interval_ms: int = 33, theme: Theme | None = None
    ) -> None:
        super().__init__(parent, theme)
        self._interval_s = interval_ms / 1000.0
        self.author = "Copilot"  # who replies now: Copilot, the endpoint's model, the demo
        self._reply: StreamingReply | None = None
        self._last_render_count = 0
        self._stale_reply = False  # the theme changed while it streamed
        self._placeholder = ""
        self._empty_widget: QWidget | None = None
        self.editing: str | None = None  # the prompt the composer edits (Edit), marked
        self.message_actions = MessageActions()
        self.message_actions.add(MessageAction("Copy", "copy", self.copy_message, is_reply_or_prompt, True))
        self.message_actions.add(
            MessageAction("Copy as markdown", "copy-markdown", self.copy_markdown, is_reply_or_prompt, True)
        )
        self.hover_bar = HoverBar(self.message_actions, self.viewport())
        self.jump_button = QToolButton(self.viewport())
        self.jump_button.setIcon(icon("jump-to-latest"))
        self.jump_button.setText("Jump to latest")
        self.jump_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.jump_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.jump_button.setToolTip("Jump to latest (End)")
        self.jump_button.setAccessibleName("Jump to latest")
        self.jump_button.setObjectName("jumpToLatest")
        self.jump_button.clicked.connect(self.scroll_to_end)
        self.jump_button.hide()
        self.context_menu_requested.connect(self._show_menu)
        self.last_menu: QMenu | None = None
        self._plain_renderer: MarkdownRenderer | None = None  # a reply's words for Copy
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.timeout.connect(self._warm_html)

    # -- saved conversations ----------------------------------------------------------------
    def show_messages(
        self, messages: Sequence[Message], tool_calls: Sequence[SavedToolCall] = (), provider: str = ""
    ) -> None:
        """A saved conversation, at its end: every message has a row, laid out as it comes on screen.
        ``provider`` (the conversation's) names each reply's author with its model."""
        self._end_reply()
        calls: dict[str, list[SavedToolCall]] = {}
        for saved in tool_calls:
            if saved.message_id is not None:
                calls.setdefault(saved.message_id, []).append(saved)
            outcome = tool_outcome(saved.call)
            if outcome.level is not OutcomeLevel.RUNNING:
                self.tool_outcomes[saved.call.id] = (outcome.text, outcome.level.value)
        self.set_rows(
            [
                row
                for m in messages
                for row in rows_for_message(
                    m, calls.get(m.id, []), author_label(provider, m.model) if provider else self.author
                )
            ]
        )
        self.scroll_to_end()

    def show_versions(self, versions: dict[str, tuple[int, int]]) -> None:
        """Which prompts (by message id) have versions: (this one's, from 1; how many)."""
        for row in self.rows:
            wanted = versions.get(row.message_id or "") if row.kind is RowKind.USER else None
            if row.version != wanted:
                row.version = wanted
        self.viewport().update()

    def adopt_ids(self, messages: Sequence[Message]) -> None:
        """Rows sent or streamed in this window learn their stored message ids (Edit, Regenerate
        and Branch from here need them): the last rows and the last messages pair up by kind."""
        kinds = {RowKind.USER: "user", RowKind.REPLY: "assistant", RowKind.NOTICE: "notice"}
        rows = [row for row in self.rows if row.part == 0]
        r, m = len(rows) - 1, len(messages) - 1
        while r >= 0 and m >= 0:
            row, message = rows[r], messages[m]
            if kinds[row.kind] == message.role.value:
                if row.message_id is None:
                    row.message_id = message.id
                r, m = r - 1, m - 1
            elif row.kind is RowKind.NOTICE and row.message_id is None:
                r -= 1  # a notice only shown (a command's answer)
            elif message.role.value == "notice":
                m -= 1  # a notice only saved
            else:
                return

    def paint_over(self, painter: QPainter, index: int, top: float, document: RowDocument) -> None:
        row = self.rows[index]
        if version_navigator.shows_on(row) and row.version is not None:
            strip = self.column.strip(row, top, document)
            version_navigator.paint(painter, strip, row.version, self.palette(), self._metrics())
        if row.message_id is not None and row.message_id == self.editing:  # the prompt being edited
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self.column.box(row, top, document).adjusted(-3, -3, 3, 3), 16, 16)

    def show_editing(self, message_id: str | None) -> None:
        """Mark the prompt the composer is editing (None: none is)."""
        self.editing = message_id
        self.viewport().update()

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            step = version_navigator.step_at(self, event.position().toPoint(), self._metrics())
            if step is not None:
                self.version_step.emit(*step)
                return
        super().mousePressEvent(event)

    def clear_conversation(self) -> None:
        self._end_reply()
        self.set_rows([])

    # -- live turns -------------------------------------------------------------------------
    def add_user_message(self, text: str, attachments: tuple[Attachment, ...] = ()) -> None:
        """The user's prompt, last; one sent into a reply that has shown nothing yet (Send now) goes
        above that reply, which goes on."""
        row = Row(uuid.uuid4().hex[:16], RowKind.USER, text, attachments=attachments)
        reply = self._reply
        if reply is not None and reply.open and reply.nothing_streamed and not reply.row.markers:
            self.insert_row(self.row_index(reply.row.key), row)
        else:
            self.finish_assistant()
            self.insert_row(len(self.rows), row)
        self.scroll_to_end()

    def begin_assistant(self, label: str | None = None) -> None:
        self.finish_assistant()
        row = Row(uuid.uuid4().hex[:16], RowKind.REPLY, label=label or self.author, streaming=True)
        document = self.new_document()
        reply = StreamingReply(row, document, self._renderer, self.turns, self._interval_s, self)
        reply.changed.connect(self._reply_changed)
        reply.rendered.connect(self.streaming_rendered.emit)
        self._reply = reply
        self._stale_reply = False
        self.insert_row(len(self.rows), row, document)
        self._reply_changed()

    @property
    def streaming(self) -> bool:
        return self._reply is not None and self._reply.open

    @property
    def streamed_text(self) -> str:
        return "" if self._reply is None else self._reply.text

    @property
    def render_count(self) -> int:
        """Renders of the reply that streams, or of the last one."""
        return self._last_render_count if self._reply is None else self._reply.render_count

    @property
    def _reply_key(self) -> str:
        return "" if self._reply is None else self._reply.row.key

    def append_delta(self, text: str) -> None:
        if not self.streaming:
            self.begin_assistant()
        assert self._reply is not None
        self._reply.append_delta(text)

    def append_reasoning(self, text: str) -> None:
        if not self.streaming:
            self.begin_assistant()
        assert self._reply is not None
        self._reply.append_reasoning(text)

    def _render_tick(self) -> None:
        if self._reply is not None:
            self._reply.render_tick()

    def finish_assistant(self, final_text: str | None = None) -> None:
        """End the streaming reply; ``final_text`` replaces what streamed if it differs."""
        reply = self._reply
        if reply is None or not reply.open:
            return
        reply.finish(final_text)
        self._end_reply()

    def close_segment(self, final_text: str | None = None) -> None:
        if self._reply is not None:
            self._reply.close_segment(final_text)

    def add_tool_marker(self, call_id: str, label: str) -> None:
        if not self.streaming:
            self.begin_assistant()
        assert self._reply is not None
        self._reply.add_tool_marker(call_id, label)

    def show_tool_outcome(
        self, call_id: str, label: str, outcome: str, level: str, diff: FileDiff | None = None
    ) -> None:
        """A tool call's outcome (allowed, denied, exit code) beside its marker, and the diff of the
        file it changed under it."""
        if self.tool_outcomes.get(call_id) == (outcome, level):
            return
        self.tool_outcomes[call_id] = (outcome, level)
        if self._reply is not None and self._reply.show_outcome(call_id, label, outcome, level, diff):
            return
        for index, row in enumerate(self.rows):
            if any(marker.call_id == call_id for marker in row.markers):
                give_diff(row, call_id, diff)
                self.drop_document(row.key)
                self.row_resized(index)

    def show_changes(self, changes: Sequence[FileTotal]) -> None:
        """A turn's Changes summary under its (finished) reply, whose row is built again with it."""
        index = next((i for i in range(len(self.rows) - 1, -1, -1) if self.rows[i].kind is RowKind.REPLY), -1)
        if not changes or index < 0 or self.rows[index].streaming:
            return
        self.rows[index].changes = tuple(changes)
        self.drop_document(self.rows[index].key)
        self.row_resized(index)

    def add_notice(self, text: str, level: str = "info") -> None:
        """A message from the app (not the model): errors, retries, hints. One that comes before
        the reply has shown anything goes above it; later ones end what streamed so far."""
        row = Row(uuid.uuid4().hex[:16], RowKind.NOTICE, text, level=level)
        if self._reply is not None and self._reply.open and self._reply.nothing_streamed:
            self.insert_row(self.row_index(self._reply.row.key), row)
            return
        self.finish_assistant()
        self.insert_row(len(self.rows), row)

    def _end_reply(self) -> None:
        reply, self._reply = self._reply, None
        if reply is None:
            return
        self._last_render_count = reply.render_count
        reply.changed.disconnect(self._reply_changed)
        if reply.open:
            reply.finish()
        index = self.row_index(reply.row.key)
        if self._stale_reply:
            self.drop_document(reply.row.key)
        if index >= 0:
            self.row_resized(index)
            self.row_text_changed(index)

    @Slot()
    def _reply_changed(self) -> None:
        if self._reply is not None:
            self.row_resized(self.row_index(self._reply.row.key))

    def keeps_document(self, key: str) -> bool:
        return self._reply is not None and key == self._reply.row.key

    def restyled(self) -> None:
        reply = self._reply
        self._stale_reply = reply is not None
        if reply is not None:  # its document is the reply's own: kept (in the old colours) until it ends
            self.keep_document(reply.row.key, reply.document)

    # -- finding things ---------------------------------------------------------------------
    def scroll_to_message(self, message_id: str) -> bool:
        """Bring a message to the top of the view (a search result, say)."""
        index = self.row_index(message_id)
        if index < 0:
            return False
        self.scroll_to_row(index)
        return True

    def scroll_to_tool(self, call_id: str) -> bool:
        for index, row in enumerate(self.rows):
            if any(marker.call_id == call_id for marker in row.markers):
                document = self.document_for(index)
                position = document.anchor_position(f"tool-{call_id}")
                if position is None:
                    self.scroll_to_row(index)
                else:
                    self._reveal(index, position)
                return True
        return False

    def toHtml(self) -> str:
        """Every message's document as HTML, in order (what the view shows, for tests and checks)."""
        return "\n".join(
            self.document_for(index, keep=self.has_document(index)).toHtml()
            for index in range(len(self.rows))
        )

    # -- message actions --------------------------------------------------------------------
    def copy_message(self, index: int) -> None:
        """A message as text: a reply as its rendered words (without author, code headers or tool
        markers), a prompt or notice as written."""
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        text = row.source
        if row.kind is RowKind.REPLY:
            if self._plain_renderer is None:
                self._plain_renderer = MarkdownRenderer(clean=str, code_header=False)
            document = NoResourceDocument()
            document.setHtml(sanitize.for_view(self._plain_renderer.render(text)))
            text = document.toPlainText()
        self.put_on_clipboard(text.strip(), "Message")

    def copy_markdown(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.put_on_clipboard(self.rows[index].source, "Markdown")

    @Slot(int, QPoint)
    def _show_menu(self, index: int, at: QPoint) -> None:
        if not 0 <= index < len(self.rows):
            return
        extra = []
        if self.selection is not None and not self.selection.empty:
            copy = QAction(icon("copy"), "Copy selection", self)
            copy.triggered.connect(self.copy_selection)
            extra.append(copy)
        select_all = QAction("Select all", self)
        select_all.triggered.connect(self.select_all)
        extra.append(select_all)
        self.last_menu = self.message_actions.show_menu(index, self.rows[index], self, at, extra)

    def hover_changed(self) -> None:
        self._place_hover_bar()

    def _place_hover_bar(self) -> None:
        index = self.hovered_row
        under = self.viewport().mapFromGlobal(self.cursor().pos())
        inside = self.viewport().rect().contains(under)
        if (
            not inside
            or not 0 <= index < len(self.rows)
            or not self.message_actions.for_row(self.rows[index])
        ):
            if not (self.hover_bar.isVisible() and self.hover_bar.geometry().contains(under)):
                self.hover_bar.hide()
            return
        while not self.rows[index].last_part and index + 1 < len(self.rows):
            index += 1  # a long reply's actions are below its last part
        row = self.rows[index]
        document = self.document_for(index)
        strip = self.column.strip(row, self.row_top(index), document)
        self.hover_bar.show_for(index, row)
        size = self.hover_bar.sizeHint()
        beside = version_navigator.width(row.version, self._metrics()) if row.kind is RowKind.USER else 0
        x = strip.right() - size.width() - beside if row.kind is RowKind.USER else strip.left()
        self.hover_bar.move(round(x), round(strip.top() + (strip.height() - size.height()) / 2))
        self.hover_bar.resize(size)
        self.hover_bar.show()
        self.hover_bar.raise_()

    def scrolled_by_user(self) -> None:
        self._place_hover_bar() if self.hover_bar.isVisible() else None
        self._place_jump_button()
        self._warm_timer.start(WARM_AFTER_MS)

    def rows_changed_internally(self) -> None:
        super().rows_changed_internally()
        self._place_empty()
        self._place_jump_button()
        self._warm_timer.start(WARM_AFTER_MS)

    @Slot()
    def _warm_html(self) -> None:
        """While idle, render the HTML of the messages around the screen, one per turn of the
        event loop, so scrolling to them costs only their layout (huge ones are left to need)."""
        if self._reply is not None and self._reply.open:
            return  # the stream has the loop's time
        first, last = self.visible_rows()
        near = range(max(first - WARM_ROWS, 0), min(last + WARM_ROWS + 1, len(self.rows)))
        for index in sorted(near, key=lambda i: abs(i - (first + last) / 2)):
            row = self.rows[index]
            if len(row.text) > WARM_MAX_CHARS or self.has_document(index) or self._html.get(row.key):
                continue
            self.row_html(index)
            self._warm_timer.start(0)
            return

    # -- the empty conversation and the jump button -------------------------------------------
    def set_placeholder(self, text: str) -> None:
        """What an empty conversation says (where answers come from, how to start)."""
        self._placeholder = text
        self.viewport().update()

    def set_empty_widget(self, widget: QWidget) -> None:
        """Shown centred over the view while the conversation is empty (the empty state)."""
        self._empty_widget = widget
        widget.setParent(self.viewport())
        self._place_empty()

    def paint_empty(self, painter: QPainter) -> None:
        if self._placeholder and self._empty_widget is None:
            painter.setPen(self.palette().placeholderText().color())
            rect = self.viewport().rect().adjusted(24, 24, -24, -24)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(rect, int(flags), self._placeholder)
        painter.end()

    def _place_empty(self) -> None:
        widget = self._empty_widget
        if widget is None:
            return
        widget.setVisible(not self.rows)
        if not self.rows:
            area = self.viewport().rect()
            size = widget.sizeHint().boundedTo(area.size())
            widget.setGeometry(
                area.x() + (area.width() - size.width()) // 2,
                area.y() + (area.height() - size.height()) // 2,
                size.width(),
                size.height(),
            )

    def _place_jump_button(self) -> None:
        show = bool(self.rows) and not self.pinned and self._reply is not None
        if show and not self.jump_button.isVisible():  # a pill in the palette of the moment
            palette = self.palette()
            self.jump_button.setStyleSheet(
                "QToolButton#jumpToLatest { border-radius: 14px; padding: 4px 12px; "
                f"background: {palette.color(QPalette.ColorRole.Button).name()}; "
                f"color: {palette.color(QPalette.ColorRole.ButtonText).name()}; "
                f"border: 1px solid {palette.color(QPalette.ColorRole.Mid).name()}; }}"
            )
        self.jump_button.setVisible(show)
        if show:
            size = self.jump_button.sizeHint()
            area = self.viewport().rect()
            self.jump_button.move(area.center().x() - size.width() // 2, area.bottom() - size.height() - 12)
            self.jump_button.raise_()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.hover_bar.hide()  # the rows moved under it (the composer grew, the window resized)
        self.hovered_row = -1  # the next move of the mouse shows it again, where it belongs
        self._place_empty()
        self._place_jump_button()
