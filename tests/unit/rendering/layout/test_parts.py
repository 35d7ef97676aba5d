"""A long reply cut into parts: the parts are the reply, cut only between top-level blocks, never
inside a code fence or a list, and none but the first is short."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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
