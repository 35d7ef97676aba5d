"""A long reply cut into parts: the parts are the reply, cut only between top-level blocks, never
inside a code fence or a list, and none but the first is short."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.rendering.block_splitter import BlockSplitter
from desktop_app.core.rendering.layout.parts import cut, part_starts

PARAGRAPH = st.text(st.characters(whitelist_categories=("L", "Nd", "Zs")), min_size=1, max_size=300).map(
    lambda s: s.strip() or "word"
)
FENCE = st.builds(lambda body: f"```python\n{body}\n\n\n{body}\n```", PARAGRAPH)
LIST = st.lists(PARAGRAPH, min_size=1, max_size=6).map(lambda items: "\n\n".join(f"- {i}" for i in items))
HEADING = PARAGRAPH.map(lambda s: f"## {s[:40]}")
BLOCK = st.one_of(PARAGRAPH, FENCE, LIST, HEADING)


@settings(max_examples=200)
@given(st.lists(BLOCK, min_size=1, max_size=60), st.integers(100, 2000))
def test_parts_are_the_text_cut_between_blocks(blocks: list[str], size: int) -> None:
    text = "\n\n".join(blocks)
    starts = part_starts(text, part_chars=size, split_above=size)
    assert starts[0] == 0 and starts == sorted(set(starts))
    parts = cut(text, starts)
    assert "".join(parts) == text
    for start in starts[1:]:
        assert text[start - 1] == "\n" and text[start] != "\n"  # a block's first line
        assert text[:start].count("```") % 2 == 0  # never inside a fence
        assert not text[start:].startswith("- ") or not text[:start].rstrip().splitlines()[-1].startswith(
            "- "
        )
    for part in parts[1:]:
        assert len(part) >= size // 2


@given(st.text(max_size=3000))
def test_a_short_reply_stays_whole(text: str) -> None:
    assert part_starts(text) == [0]
    assert cut(text, [0]) == [text]


@given(st.text(max_size=9000))
def test_any_text_cuts_back_into_itself(text: str) -> None:
    starts = part_starts(text, part_chars=200, split_above=200)
    assert "".join(cut(text, starts)) == text
    assert starts[0] == 0 and all(0 < s < len(text) for s in starts[1:])


def _block_starts(text: str) -> set[int]:
    """Where the streaming renderer's splitter starts each top-level block (blank lines skipped)."""
    splitter = BlockSplitter()
    splitter.append(text + "\n")
    starts, position = set(), 0
    for block in splitter.finish():
        found = (text + "\n").find(block, position)
        position = found + len(block)
        starts.add(found + len(block) - len(block.lstrip("\n")))
    return starts


MARKDOWNISH = st.lists(
    st.one_of(
        BLOCK,
        st.sampled_from(
            ["> quoted", "    indented code", "1. first", "````md\n```\ninner\n```\n````", "~~~\nx\n~~~"]
        ),
        st.text(alphabet="ab -*>#`~\n 1.", max_size=60),
    ),
    min_size=1,
    max_size=50,
)


@settings(max_examples=300)
@given(MARKDOWNISH, st.sampled_from(["\n\n", "\n", "\n\n\n"]), st.integers(20, 400))
def test_every_cut_is_where_the_streaming_splitter_starts_a_block(
    blocks: list[str], joint: str, size: int
) -> None:
    text = joint.join(blocks)
    starts = part_starts(text, part_chars=size, split_above=size)
    assert set(starts[1:]) <= _block_starts(text)
