"""A conversation of any size in a frame: one document per message, laid out only near the screen.

Every row has a height, exact once laid out and estimated from its length before, so the scroll bar
covers the whole conversation and any key or drag reaches any message at once. When an estimate above
the screen becomes exact, the scroll position moves by the difference: what is on screen stays still
(pinned to the end, it stays there). Only the streaming reply's document changes; documents far from
the screen are dropped and rebuilt from their cached HTML when they return.

It is a ``QListView`` over a list model of the rows (Qt's list accessibility is what gives assistive
technology one item per message) whose own layout is switched off: the rows' geometry is this view's.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QRectF,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QFrame, QWidget

from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.layout.build_cost import BuildCost, FrameBudget
from desktop_app.core.rendering.layout.row_heights import RowHeights, estimate_height
from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.core.rendering.theme import Theme, theme_for
from desktop_app.core.rendering.turn_html import BODY_PX, TurnHtml, base_css
from desktop_app.ui.conversation.view.ask_ahead import rows_to_ask
from desktop_app.ui.conversation.view.attachment_pictures import show_pictures
from desktop_app.ui.conversation.view.html_pool import HtmlPool
from desktop_app.ui.conversation.view.row_document import HtmlCache, RowDocument
from desktop_app.ui.conversation.view.row_html import configure, saved_row_html
from desktop_app.ui.conversation.view.row_model import RowModel
from desktop_app.ui.conversation.view.row_painter import (
    PAD_Y,
    Column,
    gap_above,
    paint_placeholder,
    paint_row,
    strip_below,
)
from desktop_app.ui.conversation.view.rows import Row, RowKind
from desktop_app.ui.conversation.view.rows_item_view import RowsItemView
from desktop_app.ui.conversation.view.scroll_bar import ConversationScrollBar

PREPARE_MARGIN = 600  # px beyond the screen whose documents are laid out ahead of scrolling
SCROLL_BUDGET_S = 0.004  # what a scroll step may spend building documents (a frame is 16 ms)
FILL_BUDGET_S = 0.004  # what each turn of an idle event loop then spends on what it left out
SPLIT_ABOVE_S = 0.003  # a document that costs more is parsed in one step, laid out in the next
KEEP_DOCUMENTS = 160  # documents kept for rows off the screen (the rest are rebuilt on return)


class ConversationView(RowsItemView):
    """The rows of one conversation, virtualized. Subclasses add the streaming reply and input.

    Signals:
        theme_changed(str): the system palette switched between light and dark ("light"/"dark").
        rows_changed(): rows were added or removed (the empty state follows it).
    """

    theme_changed = Signal(str)
    rows_changed = Signal()

    def __init__(self, parent: QWidget | None = None, theme: Theme | None = None) -> None:
        super().__init__(parent)
        # Everything the overrides read first: Qt calls them from the setters below (an override
        # that fails inside a C++ call leaves PySide6 in a state that crashes a later widget).
        self.rows: list[Row] = []
        self.heights = RowHeights()
        self._documents: OrderedDict[str, RowDocument] = OrderedDict()  # by row key, newest used last
        self._html = HtmlCache()
        self.build_cost = BuildCost()
        self._pool = HtmlPool()
        self._generation = 0  # HTML asked for before a theme or content change is not used
        self._fill_timer = QTimer()
        self._fill_timer.setSingleShot(True)
        self._follow_palette = theme is None
        self._renderer = MarkdownRenderer(clean=str)  # the document sanitizes every fragment once
        self.tool_outcomes: dict[str, tuple[str, str]] = {}  # call id -> (outcome, level)
        self._column = Column.for_viewport(self.viewport().width())
        self._pinned = True  # at the end: stays there as rows grow
        self._adjusting = False
        self.current_row = -1  # the message the keyboard is on
        self.hovered_row = -1
        self._apply_theme(theme or theme_for(self.palette().base().color().lightness()))
        self.row_model = RowModel(self.rows, self.accessible_text, self)
        self.setModel(self.row_model)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        self.setAccessibleName("Conversation")
        self.setVerticalScrollBar(ConversationScrollBar(self))
        bar = self.verticalScrollBar()
        bar.setSingleStep(48)
        bar.valueChanged.connect(self._scrolled)
        self._fill_timer.setParent(self)
        self._fill_timer.timeout.connect(self._fill)
        self._pool.setParent(self)
        self._pool.rendered.connect(self._html_arrived)

    # -- theme ------------------------------------------------------------------------------
    def _apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.turns = TurnHtml(theme)
        configure(self._renderer, theme)
        font = QFont(self.font())
        system_px = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
        self._font_px = max(float(BODY_PX), system_px)
        font.setPixelSize(round(self._font_px))
        self._font = font
        self._css = base_css(theme, self._font_px)
        metrics = QFontMetricsF(font)
        self._char_width = max(metrics.averageCharWidth(), 4.0)
        self._line_height = metrics.lineSpacing() * 1.5

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if kind == QEvent.Type.FontChange:
            self._restyle(self.theme)
        elif kind == QEvent.Type.PaletteChange and self._follow_palette:
            theme = theme_for(self.palette().base().color().lightness())
            if theme is not self.theme:
                self._restyle(theme)

    def _restyle(self, theme: Theme) -> None:
        """New colours or type for every message: documents are rebuilt as they come on screen."""
        self._apply_theme(theme)
        self._generation += 1
        self._documents.clear()
        self._html.clear()
        self.restyled()
        self.heights.forget_exact()
        self._prepare_visible()
        self.viewport().update()
        self.theme_changed.emit(theme.name)

    def restyled(self) -> None:
        """Hook: the theme or font changed and every document was dropped (to be built anew)."""

    def keep_document(self, key: str, document: RowDocument) -> None:
        self._documents[key] = document

    # -- rows -------------------------------------------------------------------------------
    def _estimate(self, row: Row) -> float:
        width = self._column.text_width(row.kind)
        padding = gap_above(row) + strip_below(row) + (0 if row.kind is RowKind.REPLY else 2 * PAD_Y)
        if row.kind is RowKind.REPLY and row.part == 0:
            padding += self._line_height  # the author's line
        return estimate_height(row.text, width / self._char_width, self._line_height, padding)

    def set_rows(self, rows: list[Row]) -> None:
        """Show these rows instead (a conversation opening), at the end."""
        self.row_model.beginResetModel()
        self.rows[:] = rows
        self.heights.clear()
        self.heights.extend([self._estimate(row) for row in rows])
        self._documents.clear()
        self.current_row = self.hovered_row = -1
        self.row_model.endResetModel()
        self._pinned = True
        self.rows_changed_internally()
        self.rows_changed.emit()

    def insert_row(self, index: int, row: Row, document: RowDocument | None = None) -> None:
        keep_end = self._at_end()
        self.row_model.beginInsertRows(QModelIndex(), index, index)
        self.rows.insert(index, row)
        if index == len(self.heights):
            self.heights.append(self._estimate(row))
        else:
            heights = [self.heights.height(i) for i in range(len(self.heights))]
            heights.insert(index, self._estimate(row))
            self.heights.clear()
            self.heights.extend(heights)
        self.row_model.endInsertRows()
        if document is not None:
            self._documents[row.key] = document
        self._pinned = keep_end or self._pinned
        self.rows_changed_internally()
        self.rows_changed.emit()

    def rows_changed_internally(self) -> None:
        self.update_range()
        self._prepare_visible()
        self.viewport().update()
        self._ask_ahead()

    def row_index(self, key: str) -> int:
        """The row with this key, or a stored message's row (its first part)."""
        for index in range(len(self.rows) - 1, -1, -1):
            row = self.rows[index]
            if row.key == key:
                return index
            if row.message_id == key:
                return index - row.part
        return -1

    # -- documents --------------------------------------------------------------------------
    def new_document(self) -> RowDocument:
        return RowDocument(self._css, self._font)

    def document_for(self, index: int, keep: bool = True) -> RowDocument:
        """Row ``index``'s document, built if needed and laid out at the column's width."""
        row = self.rows[index]
        document = self._documents.get(row.key)
        if document is None:
            document = self.new_document()
            document.set_html(self.row_html(index), clean=True)
            show_pictures(document, row.attachments)
            if row.part:
                document.keep_first_margin()
            if keep:
                self._documents[row.key] = document
                self._evict()
        elif keep:
            self._documents.move_to_end(row.key)
        document.fit(self._column.text_width(row.kind), shrink=row.kind is RowKind.USER)
        return document

    def row_html(self, index: int) -> str:
        """Row ``index``'s sanitized HTML, from the cache or rendered (and cached) now."""
        row = self.rows[index]
        html = self._html.get(row.key)
        if html is None:
            html = sanitize.for_view(saved_row_html(row, self.turns, self._renderer, self.tool_outcomes))
            self._html.put(row.key, html)
        return html

    def drop_document(self, key: str) -> None:
        """A row's content changed: its document is built again when next needed."""
        self._generation += 1
        self._documents.pop(key, None)
        self._html.drop(key)

    def has_document(self, index: int) -> bool:
        return self.rows[index].key in self._documents

    def is_ready(self, index: int) -> bool:
        """Built and laid out: drawn as itself (else as a placeholder, built in a moment)."""
        return self.rows[index].key in self._documents and self.heights.is_exact(index)

    def _evict(self) -> None:
        if len(self._documents) <= KEEP_DOCUMENTS:
            return
        first, last = self.visible_rows()
        near = {self.rows[i].key for i in range(max(first - 2, 0), min(last + 3, len(self.rows)))}
        for key in list(self._documents):
            if len(self._documents) <= KEEP_DOCUMENTS:
                break
            if key not in near and not self.keeps_document(key):
                del self._documents[key]

    def keeps_document(self, key: str) -> bool:
        """Hook: documents that must never be dropped (the streaming reply's)."""
        return False

    def _lay_out(self, index: int, budget: FrameBudget | None = None) -> bool:
        """Make row ``index``'s height exact; True if it changed. With a ``budget``, only if
        building its document fits in it; a costly one is parsed in this step and laid out in the
        next (each half of a 24 KB code reply is 3 to 5 ms: together they drop a frame)."""
        row = self.rows[index]
        built = row.key in self._documents
        if built and self.heights.is_exact(index):
            return False
        rendered = not built and self._html.get(row.key) is None
        if not built and budget is not None:
            if rendered and self._from_pool(row.key):
                budget.waiting = True  # the render process makes it: a placeholder until it comes
                return False
            if not budget.affords(row.weight, rendered):
                return False
            if self.build_cost.predict(row.weight, rendered) > SPLIT_ABOVE_S:
                self.document_for(index)  # Qt lays a document out when its size is first asked
                budget.close()
                return False
        started = time.perf_counter()
        document = self.document_for(index)
        if not built:
            self.build_cost.learn(row.weight, time.perf_counter() - started, rendered)
        height = self._column.row_height(row, document.size().height())
        return bool(self.heights.set(index, height))

    def _from_pool(self, key: str) -> bool:
        """Whether this row's HTML is left to the render process (asked for, or to be asked next):
        one large code block rendered on this thread would hold a scroll step for a tenth of a second."""
        pool = self._pool
        if pool.broken or key in pool.failed:
            return False
        return key in pool.pending or (pool.in_use and self._worth_pool())

    def _worth_pool(self) -> bool:
        """A short conversation is not worth a process: its rows are made here."""
        return bool(self.rows) and self.heights.total >= 4 * self.viewport().height()

    def row_resized(self, index: int) -> None:
        """Row ``index``'s document changed (a streaming render): its height, the range, the end."""
        if not 0 <= index < len(self.rows):
            return
        keep_end = self._pinned or self._at_end()
        document = self.document_for(index)
        first, _last = self.visible_rows()
        delta = self.heights.set(index, self._column.row_height(self.rows[index], document.size().height()))
        self.update_range()
        bar = self.verticalScrollBar()
        if keep_end:
            self._set_value(bar.maximum())
        elif delta and index < first:
            self._set_value(bar.value() + round(delta))
        self.viewport().update(self.row_rect(index).adjusted(0, 0, 0, round(max(delta, 0))).toAlignedRect())

    # -- geometry and scrolling -------------------------------------------------------------
    @Slot(int)
    def _scrolled(self, value: int) -> None:
        if self._adjusting:
            return
        self._pinned = value >= self.verticalScrollBar().maximum() - 4
        if self._prepare_visible(FrameBudget(SCROLL_BUDGET_S, self.build_cost)):
            self._fill_timer.start(0)  # when the event loop is idle (between wheel events)
        self._ask_ahead()
        self.scrolled_by_user()

    @Slot()
    def _fill(self) -> None:
        """Build what scrolling left out (placeholders on screen first), one budget per turn."""
        if self._prepare_visible(FrameBudget(FILL_BUDGET_S, self.build_cost, at_least_one=True)):
            self._fill_timer.start(0)
        self._ask_ahead()

    def _ask_ahead(self) -> None:
        """Have the render process make the HTML of what is near the screen and not made yet."""
        if self._pool.in_flight or self._pool.broken or not self._worth_pool():
            return
        known = (self._documents, self._html, self._pool.pending, self._pool.failed)
        value, height = self.verticalScrollBar().value(), self.viewport().height()
        wanted = rows_to_ask(self.rows, self.heights, value, height, known)
        calls = {marker.call_id for row in wanted for marker in row.markers}
        outcomes = {call: self.tool_outcomes[call] for call in calls if call in self.tool_outcomes}
        self._pool.ask(self._generation, self.theme.name, wanted, outcomes)

    @Slot(int, list)
    def _html_arrived(self, generation: int, results: list[tuple[str, str]]) -> None:
        if generation == self._generation:
            for key, html in results:
                self._html.put(key, html)
        self._fill_timer.start(0)
        self._ask_ahead()

    def scrolled_by_user(self) -> None:
        """Hook: the user scrolled (the jump-to-latest button follows it)."""

    def _prepare_visible(self, budget: FrameBudget | None = None) -> bool:
        """Lay out what is on screen (and a margin), keeping it still while heights above settle.
        With a ``budget`` (a scroll step), only what fits in it, the screen first and then the
        margins (above it too); True when something was left out (it shows as a placeholder)."""
        if not self.rows or self._adjusting:
            return False
        bar = self.verticalScrollBar()
        above = PREPARE_MARGIN if budget is not None else 0
        for _attempt in range(8):
            value, height = bar.value(), self.viewport().height()
            first, last = self.heights.row_at(value), self.heights.row_at(value + height)
            anchor = next((i for i in range(first, last + 1) if self.heights.is_exact(i)), first)
            on_screen = self.heights.top(anchor) - value
            order = [
                *range(first, last + 1),
                *range(last + 1, self.heights.row_at(value + height + PREPARE_MARGIN) + 1),
                *range(first - 1, max(self.heights.row_at(value - above), 1) - 2, -1),
            ]
            placeholders = [i for i in range(first, last + 1) if not self.is_ready(i)]
            changed = moved = False
            for index in order:
                if self._lay_out(index, budget):
                    changed = True
                    moved = moved or first <= index <= last
            # Only what is on screen is painted again: rows laid out above or below it (heights
            # are whole pixels, so the anchor stays exactly where it was) leave the pixels as they are.
            repaint = moved or any(self.is_ready(i) for i in placeholders)
            if not changed:
                if repaint:
                    self.viewport().update()
                break
            self.update_range()
            if self._pinned:
                self._set_value(bar.maximum(), repaint)
            else:
                self._set_value(round(self.heights.top(anchor) - on_screen), repaint)
        return budget is not None and budget.left_out

    def resizeEvent(self, event: QResizeEvent) -> None:
        keep_end = self._pinned or self._at_end()
        first, _last = self.visible_rows()
        offset = self.verticalScrollBar().value() - (self.heights.top(first) if self.rows else 0)
        super().resizeEvent(event)
        column = Column.for_viewport(self.viewport().width())
        if column.width != self._column.width:
            self.heights.forget_exact()
        self._column = column
        self.update_range()
        if self.rows:
            self._set_value(
                self.verticalScrollBar().maximum() if keep_end else round(self.heights.top(first) + offset)
            )
        self._pinned = keep_end
        self._prepare_visible()

    @property
    def column(self) -> Column:
        return self._column

    def scroll_to_row(self, index: int, offset: float = 0.0) -> None:
        """Put ``offset`` px into row ``index`` at the top of the screen (as far as it can go)."""
        if not 0 <= index < len(self.rows):
            return
        self._lay_out(index)
        self.update_range()
        bar = self.verticalScrollBar()
        value = round(self.heights.top(index) + offset)
        self._set_value(value)
        self._pinned = bar.value() >= bar.maximum() - 4
        self._prepare_visible()
        self._set_value(min(round(self.heights.top(index) + offset), bar.maximum()))
        self.scrolled_by_user()

    def scroll_to_end(self) -> None:
        self._pinned = True
        self.update_range()
        self._set_value(self.verticalScrollBar().maximum())
        self._prepare_visible()
        self.scrolled_by_user()

    def scroll_to_top(self) -> None:
        self.scroll_to_row(0)

    # -- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        clip = QRectF(event.rect())
        if not self.rows:
            self.paint_empty(painter)
            return
        first, last = self.visible_rows()
        for index in range(first, last + 1):
            rect = self.row_rect(index)
            if not rect.intersects(clip):
                continue
            row = self.rows[index]
            if not self.is_ready(index):  # a fast scroll outran it: built in a moment
                paint_placeholder(painter, self._column, row, rect, self._line_height, self.palette())
                continue
            document = self.document_for(index)
            focused = index == self.current_row and self.hasFocus()
            paint_row(
                painter,
                self._column,
                row,
                rect.top(),
                document,
                self.theme,
                self.palette(),
                self.selections_for(index, document),
                clip,
                focused,
            )
            self.paint_over(painter, index, rect.top(), document)
        painter.end()

    def paint_over(self, painter: QPainter, index: int, top: float, document: RowDocument) -> None:
        """Hook: what is drawn over a row once it is painted (a prompt's versions)."""

    def paint_empty(self, painter: QPainter) -> None:
        """Hook: what an empty conversation shows."""

    def selections_for(self, index: int, document: RowDocument) -> list:  # type: ignore[type-arg]
        """Hook: the highlighted ranges of a row (the selection, find matches)."""
        return []

    # -- text -------------------------------------------------------------------------------
    def accessible_text(self, index: int) -> str:
        row = self.rows[index]
        if row.kind is RowKind.REPLY and self.has_document(index):
            return self.document_for(index).toPlainText()
        return row.accessible_text
