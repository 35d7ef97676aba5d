"""The conversation as rich text, with the streaming reply rendered incrementally.

Finished markdown blocks are converted and inserted once; only the open tail of the streaming reply
is replaced on each (throttled) render, so the cost of a render does not grow with the reply or the
conversation. Saved messages and links are the ``ConversationDocument``'s.
"""

from __future__ import annotations

import time
import uuid

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import (
    QTextCursor,
)
from PySide6.QtWidgets import QWidget

from desktop_app.core.rendering.block_splitter import BlockSplitter
from desktop_app.core.rendering.streaming.render_throttle import AdaptiveThrottle
from desktop_app.core.rendering.streaming.streamed_markdown import StreamedMarkdown
from desktop_app.core.rendering.theme import Theme
from desktop_app.ui.conversation.conversation_document import ConversationDocument


class ChatView(ConversationDocument):
    """Read-only view of one conversation, with the reply that streams.

    Signals:
        streaming_rendered(int): a streaming render finished; the reply's length so far (chars).
        copied(str), theme_changed(str), tool_clicked(str): see ``ConversationDocument``.
    """

    streaming_rendered = Signal(int)

    def __init__(
        self, parent: QWidget | None = None, interval_ms: int = 33, theme: Theme | None = None
    ) -> None:
        super().__init__(parent, theme)
        self._throttle = AdaptiveThrottle(interval_ms / 1000.0)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._render_tick)
        self._splitter: BlockSplitter | None = None
        self._header_start = 0  # where the streaming reply's header begins
        self._streamed = StreamedMarkdown(self._renderer.render)  # the streaming reply's blocks
        self._block_ends: list[int] = []  # where each of them ends, from _reply_start
        self._reasoning = ""
        self._reasoning_open = False
        self.render_count = 0
        self._reply_key = ""
        self._closed_segments: list[str] = []  # the reply's text before its tool calls

    def clear_conversation(self) -> None:
        self._timer.stop()
        self._splitter = None
        super().clear_conversation()

    # -- turns ----------------------------------------------------------------------------
    def begin_assistant(self, label: str = "Copilot") -> None:
        self.finish_assistant()
        self._reply_key = uuid.uuid4().hex[:16]
        self._header_start = self._end_position()  # a notice before any text goes above this
        self._append_html(self._html.assistant_header(self._reply_key, label))
        self._splitter = BlockSplitter()
        self._streamed = StreamedMarkdown(self._renderer.render)
        self._block_ends = []
        self._tail_start = self._end_position()
        self._reply_start = self._tail_start
        self._reasoning = ""
        self._reasoning_open = False
        self._closed_segments = []
        self._throttle.reset()

    @property
    def streaming(self) -> bool:
        return self._splitter is not None

    @property
    def streamed_text(self) -> str:
        return "" if self._splitter is None else self._splitter.text

    def append_delta(self, text: str) -> None:
        if self._splitter is None:
            self.begin_assistant()
        assert self._splitter is not None
        if self._reasoning_open:
            self._commit_reasoning()
        self._splitter.append(text)
        self._schedule()

    def append_reasoning(self, text: str) -> None:
        if self._splitter is None:
            self.begin_assistant()
        assert self._splitter is not None
        if self._splitter.text:
            return  # reasoning that arrives after the reply started is kept by the store, not shown
        self._reasoning += text
        self._reasoning_open = True
        self._schedule()

    def finish_assistant(self, final_text: str | None = None) -> None:
        """End the streaming reply; ``final_text`` replaces what streamed if it differs."""
        splitter = self._take_splitter(None)
        if splitter is not None:
            self._render_final(splitter, final_text)

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

    def _take_splitter(self, replacement: BlockSplitter | None) -> BlockSplitter | None:
        """Stop the streaming render and hand over what streamed (None when nothing streams)."""
        if self._splitter is None:
            return None
        self._timer.stop()
        if self._reasoning_open:
            self._commit_reasoning()
        splitter, self._splitter = self._splitter, replacement
        return splitter

    def add_tool_marker(self, call_id: str, label: str) -> None:
        """A compact line where a tool ran; clicking it shows the call in the tool panel."""
        self.close_segment()
        keep_bottom = self._at_bottom()
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self._tool_positions[call_id] = cursor.position()
        self._insert_html(cursor, self._html.tool_marker(call_id, label))
        self._tail_start = self._end_position()
        self._reply_start = self._tail_start
        if keep_bottom:
            self._scroll_to_bottom()

    def _render_final(self, splitter: BlockSplitter, final_text: str | None) -> str:
        """Replace the streamed tail with its final rendering; returns the text rendered."""
        replaced = bool(final_text and final_text.strip() and final_text != splitter.text)
        if replaced:  # what streamed is not the reply: render the final text from the start
            splitter = BlockSplitter()
            splitter.append(final_text or "")
            self._streamed = StreamedMarkdown(self._renderer.render)
            self._block_ends = []
        self._sources[self._reply_key] = "\n\n".join([*self._closed_segments, splitter.text]).strip()
        keep_bottom = self._at_bottom()
        self._commit_blocks(self._tail_cursor(), splitter.finish(), whole=replaced)
        self._tail_start = self._end_position()
        if keep_bottom:
            self._scroll_to_bottom()
        return splitter.text

    def add_notice(self, text: str, level: str = "info") -> None:
        """A message from the app (not the model): errors, retries, hints.

        One that comes before the reply has shown anything (an MCP server that failed to start,
        a first retry) goes above the reply's header, which goes on streaming below it; later
        ones end what streamed so far, so they show where they happened."""
        if self._splitter is not None and self._nothing_streamed():
            keep_bottom = self._at_bottom()
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._header_start)
            before = self.document().characterCount()
            self._insert_html(cursor, self._html.notice(text, level))
            inserted = self.document().characterCount() - before
            self._shift_after(self._header_start, inserted)
            self._header_start += inserted
            if keep_bottom:
                self._scroll_to_bottom()
            return
        if self._splitter is not None:
            self.finish_assistant()
        self._append_html(self._html.notice(text, level))

    def _nothing_streamed(self) -> bool:
        assert self._splitter is not None
        return not (self._splitter.text or self._reasoning or self._closed_segments)

    # -- rendering ------------------------------------------------------------------------
    def _schedule(self) -> None:
        if self._timer.isActive():
            return
        delay = self._throttle.delay(time.monotonic())
        self._timer.start(int(delay * 1000))

    @Slot()
    def _render_tick(self) -> None:
        if self._splitter is None:
            return
        start = time.monotonic()
        keep_bottom = self._at_bottom()
        blocks, tail = self._splitter.take()
        cursor = self._tail_cursor()
        cursor.beginEditBlock()
        self._commit_blocks(cursor, blocks)
        self._tail_start = cursor.position()
        if self._reasoning_open:
            self._insert_html(cursor, self._reasoning_html())
        if tail.strip():
            self._insert_html(cursor, self._renderer.render_streaming(tail, self._streamed.references))
        cursor.endEditBlock()
        if keep_bottom:
            self._scroll_to_bottom()
        self.render_count += 1
        self._throttle.rendered(start, time.monotonic())
        self.streaming_rendered.emit(len(self._splitter.text))

    def _commit_blocks(self, cursor: QTextCursor, blocks: list[str], whole: bool = False) -> None:
        """Replace the selected tail with newly finished blocks. The reply since ``_reply_start``
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
            self._insert_html(cursor, fragment)
            ends.append(cursor.position() - self._reply_start)
        self._block_ends = ends

    def _replace_block(self, index: int, ends: list[int]) -> None:
        """Render one committed block of the streaming reply again, in place."""
        start = self._reply_start + (ends[index - 1] if index else 0)
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(self._reply_start + ends[index], QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._insert_html(cursor, self._streamed.html[index])
        delta = cursor.position() - self._reply_start - ends[index]
        for later in range(index, len(ends)):
            ends[later] += delta

    def _reasoning_html(self, expanded: bool = True) -> str:
        self._reasoning_texts[self._reply_key] = self._reasoning
        return self._html.reasoning(self._reasoning, self._reply_key, expanded)

    def _commit_reasoning(self) -> None:
        """Freeze the reasoning shown so far above the reply that now starts."""
        self._reasoning_open = False
        if not self._reasoning.strip():
            return
        cursor = self._tail_cursor()
        cursor.removeSelectedText()
        self._insert_html(cursor, self._reasoning_html(expanded=False))  # the answer takes over
        self._tail_start = self._end_position()
        self._reply_start = self._tail_start

    # -- document helpers -----------------------------------------------------------------
