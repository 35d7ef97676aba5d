"""Where a long saved reply is cut into parts, each shown by a document of its own.

A 17 KB reply is 5,000 px tall and costs about 130 ms to render, parse and lay out as one
document: scrolling onto it would stall a dozen frames. Cut at top-level markdown blocks (never
inside a code fence, a list or a table) into parts of about ``PART_CHARS``, only the parts near the
screen are built, each in a fraction of a frame. A part renders as the same HTML its blocks would
give inside the whole reply: the streaming reply is rendered block by block in just this way.
"""

from __future__ import annotations

from bisect import bisect_right

from desktop_app.core.rendering import fences
from desktop_app.core.rendering.block_splitter import LIST_ITEM_RE

SPLIT_ABOVE = 3_000  # characters: a reply up to this long stays one document
PART_CHARS = 1_200  # a part is at least this long (a single longer block is one part)


def part_starts(text: str, part_chars: int = PART_CHARS, split_above: int = SPLIT_ABOVE) -> list[int]:
    """Offsets in ``text`` where each part begins: ``[0]`` for a text that stays whole.

    A part begins after a blank line, outside any code fence, on a line that cannot continue the
    block before it (not indented, not a list item, not a quote): a top-level block boundary as
    ``BlockSplitter`` finds them, but found by a few C-speed searches instead of a pass over every
    line, since a 5 MB conversation is cut as it opens. No part but the first is shorter than
    ``part_chars // 2`` (a short tail joins the part before it)."""
    if len(text) <= split_above:
        return [0]
    spans = _fence_spans(text)
    span_starts = [start for start, _end in spans]
    starts = [0]
    position = part_chars
    while True:
        blank = text.find("\n\n", position)
        if blank < 0:
            break
        start = blank + 2
        while start < len(text) and text[start] == "\n":
            start += 1
        if len(text) - start < part_chars // 2:
            break
        fence = bisect_right(span_starts, start) - 1
        if fence >= 0 and spans[fence][0] < start < spans[fence][1]:
            position = spans[fence][1]  # inside a code block: on after it
            continue
        if _begins_block(text, start) and not _after_list_item(text, blank):
            starts.append(start)
            position = start + part_chars
        else:
            position = start
    return starts


def _begins_block(text: str, start: int) -> bool:
    head = text[start : start + 16].split("\n", 1)[0]  # its first line ("-" alone is a list item)
    return bool(head) and head[0] not in " \t>" and not LIST_ITEM_RE.match(head)


def _after_list_item(text: str, blank: int) -> bool:
    """Whether the line before the blank line at ``blank`` is a list item's (a list there may go
    on past the blank line, by the streaming splitter's rules: no cut right after one)."""
    line = text[text.rfind("\n", 0, blank) + 1 : blank]
    return bool(LIST_ITEM_RE.match(line))


def _fence_spans(text: str) -> list[tuple[int, int]]:
    """Each code block's (start, end): from its opening line to the end of its closing one."""
    spans: list[tuple[int, int]] = []
    fence: str | None = None
    opened = 0
    position = 0
    ahead = {run: text.find(run, 0) for run in ("```", "~~~")}  # the next of each (str.find is fast)
    while True:
        for run, at in ahead.items():
            if 0 <= at < position:
                ahead[run] = text.find(run, position)
        found = [at for at in ahead.values() if at >= 0]
        if not found:
            break
        run_at = min(found)
        line_start = text.rfind("\n", 0, run_at) + 1
        end = text.find("\n", run_at)
        end = len(text) if end < 0 else end
        position = end + 1
        line = text[line_start:end]
        if fence is None:
            fence = fences.opening(line)
            opened = line_start
        elif fences.closes(line, fence):
            spans.append((opened, end))
            fence = None
    if fence is not None:
        spans.append((opened, len(text)))
    return spans


def cut(text: str, starts: list[int]) -> list[str]:
    """``text`` cut at ``starts`` (as ``part_starts`` gives them)."""
    ends = [*starts[1:], len(text)]
    return [text[start:end] for start, end in zip(starts, ends, strict=True)]
