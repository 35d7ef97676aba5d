"""Where a long saved reply is cut into parts, each shown by a document of its own.

A 17 KB reply is 5,000 px tall and costs about 130 ms to render, parse and lay out as one
document: scrolling onto it would stall a dozen frames. Cut at top-level markdown blocks (never
inside a code fence, a list or a table) into parts of about ``PART_CHARS``, only the parts near the
screen are built, each in a fraction of a frame. A part renders as the same HTML its blocks would
give inside the whole reply: the streaming reply is rendered block by block in just this way.
"""

from __future__ import annotations

from desktop_app.core.rendering.block_splitter import BlockSplitter

SPLIT_ABOVE = 3_000  # characters: a reply up to this long stays one document
PART_CHARS = 1_200  # a part is at least this long (a single longer block is one part)


def part_starts(text: str, part_chars: int = PART_CHARS, split_above: int = SPLIT_ABOVE) -> list[int]:
    """Offsets in ``text`` where each part begins: ``[0]`` for a text that stays whole. Each
    offset is the start of a top-level block, and no part but the first is shorter than
    ``part_chars // 2`` (a short tail joins the part before it)."""
    if len(text) <= split_above:
        return [0]
    full = text if text.endswith("\n") else text + "\n"  # the splitter finishes a block at a newline
    splitter = BlockSplitter()
    splitter.append(full)
    starts = [0]
    position = 0
    for block in splitter.finish():
        found = full.find(block, position)
        if found < 0:  # not expected: the splitter's blocks are slices of its text, in order
            break
        position = found + len(block)
        found += len(block) - len(block.lstrip("\n"))  # blank lines stay with the part before
        if found - starts[-1] >= part_chars and len(text) - found >= part_chars // 2:
            starts.append(found)
    return starts


def cut(text: str, starts: list[int]) -> list[str]:
    """``text`` cut at ``starts`` (as ``part_starts`` gives them)."""
    ends = [*starts[1:], len(text)]
    return [text[start:end] for start, end in zip(starts, ends, strict=True)]
