"""Cut a streaming markdown reply into finished top-level blocks and the open tail.

Finished blocks are converted once and never again; only the tail is re-rendered while a reply
streams, so a render costs the same at 1 KB as at 200 KB (see ../shared/research/perf.md, section 3).
"""

from __future__ import annotations

import re

from desktop_app.core.rendering import fences

LIST_ITEM_RE = re.compile(r"^ {0,3}([-*+]|\d{1,9}[.)])( |$)")
HEADING_RE = re.compile(r"^ {0,3}#{1,6}( |$)")


class BlockSplitter:
    """Accumulates deltas; ``take`` hands out blocks that can no longer change.

    A block is finished at a blank line followed by a line that cannot continue it (not indented,
    and not a list item after a list), after a closed code fence, or after an ATX heading line.
    """

    def __init__(self) -> None:
        self._buffer: list[str] = []
        self._text = ""
        self._committed = 0  # index in the text up to which blocks were handed out
        self._scan_from = 0  # where the line scan of the pending text can resume
        self._fence: str | None = None
        self._block_start = 0
        self._block_is_list = False
        self._blank_seen = False

    @property
    def text(self) -> str:
        self._join()
        return self._text

    def append(self, delta: str) -> None:
        self._buffer.append(delta)

    def _join(self) -> None:
        if self._buffer:
            self._text += "".join(self._buffer)
            self._buffer.clear()

    def take(self) -> tuple[list[str], str]:
        """New finished blocks since the last call, and the current open tail."""
        self._join()
        text = self._text
        blocks: list[str] = []
        pos = self._scan_from
        while True:
            newline = text.find("\n", pos)
            if newline < 0:
                break
            line = text[pos:newline]
            line_end = newline + 1
            boundary_before, boundary_after = self._classify(line, pos)
            if boundary_before and pos > self._block_start:
                blocks.append(text[self._block_start : pos])
                self._start_block(pos, line)
            if boundary_after:
                blocks.append(text[self._block_start : line_end])
                self._start_block(line_end, None)
            pos = line_end
        self._scan_from = pos
        if blocks:
            self._committed = self._block_start
        return [b for b in blocks if b.strip()], text[self._committed :]

    def finish(self) -> list[str]:
        """Everything left, as finished blocks (the reply is complete)."""
        _blocks, _tail = self.take()
        rest = self._text[self._committed :]
        self._committed = len(self._text)
        self._scan_from = self._committed
        self._block_start = self._committed
        done = [*_blocks]
        if rest.strip():
            done.append(rest)
        return done

    def _start_block(self, start: int, first_line: str | None) -> None:
        self._block_start = start
        self._blank_seen = False
        self._block_is_list = bool(first_line is not None and LIST_ITEM_RE.match(first_line))

    def _classify(self, line: str, pos: int) -> tuple[bool, bool]:
        """(a block ends before this line, a block ends after this line)."""
        if self._fence is not None:
            if fences.closes(line, self._fence):
                self._fence = None
                return False, True
            return False, False
        fence = fences.opening(line)
        if not line.strip():
            self._blank_seen = self._blank_seen or pos > self._block_start
            return False, False
        at_block_start = pos == self._block_start
        before = False
        if self._blank_seen:
            continues = line[:1] in (" ", "\t") or (self._block_is_list and LIST_ITEM_RE.match(line))
            if not continues:
                before = True
        if at_block_start or before:
            self._block_is_list = bool(LIST_ITEM_RE.match(line))
        self._blank_seen = False
        if fence is not None:
            self._fence = fence
            return before, False
        if HEADING_RE.match(line) and (at_block_start or before):
            return before, True
        return before, False
