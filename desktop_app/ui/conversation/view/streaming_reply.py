"""The reply that streams: its document, edited in place as deltas arrive.

Finished markdown blocks are converted and inserted once; only the open tail is replaced on each
(throttled) render, so a render costs the same at 1 KB as at 200 KB, and no other message's document
changes while a reply streams.
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QTextCursor

from desktop_app.core.conversation.diff_html import inline_diff
from desktop_app.core.conversation.file_diff import FileDiff
from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.block_splitter import BlockSplitter
from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.core.rendering.streaming.render_throttle import AdaptiveThrottle
from desktop_app.core.rendering.streaming.streamed_markdown import StreamedMarkdown
from desktop_app.core.rendering.turn_html import TurnHtml
from desktop_app.ui.conversation.view.open_code import OpenCodeBlock
from desktop_app.ui.conversation.view.open_paragraph import OpenParagraph
from desktop_app.ui.conversation.view.render_turns import shared_turns
from desktop_app.ui.conversation.view.row_document import RowDocument
from desktop_app.ui.conversation.view.rows import Marker, Row, give_diff


class StreamingReply(QObject):
    """Signals:
    changed(): the document changed (its height may have).
    rendered(int): a streaming render finished; the reply's length so far (chars).
    """

    changed = Signal()
    rendered = Signal(int)

    def __init__(
        self,
        row: Row,
        document: RowDocument,
        renderer: MarkdownRenderer,
        turns: TurnHtml,
        interval_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.row = row
        self.document = document
        self._renderer = renderer
        self._turns = turns
        self._throttle = AdaptiveThrottle(interval_s)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._take_turn)
        document.set_html(turns.assistant_header(row.label or "Copilot"))
        self._splitter: BlockSplitter | None = BlockSplitter()
        self._streamed = StreamedMarkdown(renderer.render)
        self._block_ends: list[int] = []  # where each streamed block ends, from _reply_start
        self._tail_start = document.end_position()  # where the text still to be replaced begins
        self._reply_start = self._tail_start  # where the current segment (after reasoning) begins
        self._reasoning = ""
        self._reasoning_open = False
        self._closed_segments: list[str] = []  # the reply's text before its tool calls
        self.tool_positions: dict[str, int] = {}
        self.render_count = 0
        self._growing: OpenCodeBlock | OpenParagraph | None = None  # a long open block, grown in place

    @property
    def open(self) -> bool:
        return self._splitter is not None

    @property
    def text(self) -> str:
        """What streamed of the current segment."""
        return "" if self._splitter is None else self._splitter.text

    @property
    def nothing_streamed(self) -> bool:
        return not (self.text or self._reasoning or self._closed_segments)

    def append_delta(self, text: str) -> None:
        if self._splitter is None:
            return
        if self._reasoning_open:
            self._commit_reasoning()
        self._splitter.append(text)
        self._schedule()

    def append_reasoning(self, text: str) -> None:
        if self._splitter is None or self._splitter.text:
            return  # reasoning that arrives after the reply started is kept by the store, not shown
        self._reasoning += text
        self.row.reasoning = self._reasoning
        self._reasoning_open = True
        self._schedule()

    def finish(self, final_text: str | None = None) -> None:
        """End the reply; ``final_text`` replaces what streamed if it differs."""
        splitter = self._take_splitter(None)
        if splitter is not None:
            self._render_final(splitter, final_text)
        self.row.streaming = False

    def close_segment(self, final_text: str | None = None) -> None:
        """The model paused its reply to call a tool: render what it wrote so far as final."""
        splitter = self._take_splitter(BlockSplitter())
        if splitter is None:
            return
        self._streamed = StreamedMarkdown(self._renderer.render)
        self._block_ends = []
        text = self._render_final(splitter, final_text)
        self._reply_start = self._tail_start
        if text.strip():
            self._closed_segments.append(text)

    def add_tool_marker(self, call_id: str, label: str) -> None:
        """A compact line where a tool ran; clicking it shows the call in the tool panel."""
        self.close_segment()
        self.row.markers.append(Marker(len(self.row.text), call_id, label))
        self.document.append_html(self._turns.tool_marker(call_id, label))
        self.tool_positions[call_id] = self.document.lastBlock().position()  # the marker's own line
        self._tail_start = self._reply_start = self.document.end_position()
        self.changed.emit()

    def show_outcome(
        self, call_id: str, label: str, outcome: str, level: str, diff: FileDiff | None = None
    ) -> bool:
        """A marker's line again, now with its outcome (and the diff of the file it changed), in
        place; False if it is not in this reply."""
        position = self.tool_positions.get(call_id)
        if position is None:
            return False
        give_diff(self.row, call_id, diff)
        extra = inline_diff(diff, self._turns.theme) if diff is not None else ""
        cursor = QTextCursor(self.document)
        cursor.setPosition(position)
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        start = cursor.position()
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        before = self.document.characterCount()
        cursor.insertHtml(
            sanitize.for_view(self._turns.tool_marker_inline(call_id, label, outcome, level, extra))
        )
        delta = self.document.characterCount() - before
        for key, at in self.tool_positions.items():
            if at > start:
                self.tool_positions[key] = at + delta
        if self._tail_start > start:
            self._tail_start += delta
        if self._reply_start > start:
            self._reply_start += delta
        self.changed.emit()
        return True

    def _take_splitter(self, replacement: BlockSplitter | None) -> BlockSplitter | None:
        if self._splitter is None:
            return None
        self._timer.stop()
        shared_turns().cancel(self.render_tick)
        if self._reasoning_open:
            self._commit_reasoning()
        splitter, self._splitter = self._splitter, replacement
        self._growing = None
        return splitter

    def _render_final(self, splitter: BlockSplitter, final_text: str | None) -> str:
        replaced = bool(final_text and final_text.strip() and final_text != splitter.text)
        if replaced:  # what streamed is not the reply: render the final text from the start
            splitter = BlockSplitter()
            splitter.append(final_text or "")
            self._streamed = StreamedMarkdown(self._renderer.render)
            self._block_ends = []
        self.row.text = "\n\n".join([*self._closed_segments, splitter.text]).strip()
        self._commit_blocks(self.document.tail_cursor(self._tail_start), splitter.finish(), whole=replaced)
        self._tail_start = self.document.end_position()
        self.changed.emit()
        return splitter.text

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start(int(self._throttle.delay(time.monotonic()) * 1000))

    @Slot()
    def _take_turn(self) -> None:
        """The throttle's time has come: render when the app's other streaming replies have had
        theirs (one render per event-loop turn, however many windows stream)."""
        shared_turns().request(self.render_tick)

    @Slot()
    def render_tick(self) -> None:
        if self._splitter is None or not (shiboken6.isValid(self) and shiboken6.isValid(self.document)):
            return  # ended, or its window closed while the render waited its turn
        start = time.monotonic()
        blocks, tail = self._splitter.take()
        growing, self._growing = self._growing, None
        if growing is not None and not blocks and growing.update(tail):
            self._growing = growing  # the long block that streams: what arrived only
        else:
            self._render_tail(blocks, tail)
        self.row.text = "\n\n".join([*self._closed_segments, self._splitter.text]).strip()
        self.render_count += 1
        self._throttle.rendered(start, time.monotonic())
        self.changed.emit()
        self.rendered.emit(len(self._splitter.text))

    def _render_tail(self, blocks: list[str], tail: str) -> None:
        """Commit the finished blocks and render the open tail anew."""
        cursor = self.document.tail_cursor(self._tail_start)
        cursor.beginEditBlock()
        self._commit_blocks(cursor, blocks)
        self._tail_start = cursor.position()
        if self._reasoning_open:
            self.document.insert_html(cursor, self._reasoning_html())
        if tail.strip():
            self.document.insert_html(
                cursor, self._renderer.render_streaming(tail, self._streamed.references)
            )
        cursor.endEditBlock()
        if not self._reasoning_open and tail.strip():
            self._growing = OpenCodeBlock.take_over(
                self.document, self._tail_start, tail, self._renderer
            ) or OpenParagraph.take_over(self.document, self._tail_start, tail)

    def _commit_blocks(self, cursor: QTextCursor, blocks: list[str], whole: bool = False) -> None:
        """Replace the selected tail with newly finished blocks. The segment since ``_reply_start``
        is redone instead when ``whole``, or when a late link definition changed earlier blocks."""
        streamed = self._streamed
        before = len(streamed.html)
        ends = self._block_ends if len(self._block_ends) == before else None  # None: out of step
        if streamed.add(blocks) and not whole and ends is not None:
            cursor.removeSelectedText()
            for index in streamed.changed:  # only the blocks a late definition changed: linear
                self._replace_block(index, ends)
        elif whole or streamed.changed or ends is None:
            cursor.setPosition(self._reply_start)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            before = 0
            ends = []
        cursor.removeSelectedText()
        for fragment in streamed.html[before:]:
            self.document.insert_html(cursor, fragment)
            ends.append(cursor.position() - self._reply_start)
        self._block_ends = ends

    def _replace_block(self, index: int, ends: list[int]) -> None:
        start = self._reply_start + (ends[index - 1] if index else 0)
        cursor = QTextCursor(self.document)
        cursor.setPosition(start)
        cursor.setPosition(self._reply_start + ends[index], QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self.document.insert_html(cursor, self._streamed.html[index])
        delta = cursor.position() - self._reply_start - ends[index]
        for later in range(index, len(ends)):
            ends[later] += delta

    def _reasoning_html(self, expanded: bool = True) -> str:
        return self._turns.reasoning(self._reasoning, self.row.key, expanded)

    def _commit_reasoning(self) -> None:
        """Freeze the reasoning shown so far above the reply that now starts."""
        self._reasoning_open = False
        if not self._reasoning.strip():
            return
        cursor = self.document.tail_cursor(self._tail_start)
        cursor.removeSelectedText()
        self.document.insert_html(cursor, self._reasoning_html(expanded=False))  # the answer takes over
        self._tail_start = self._reply_start = self.document.end_position()
