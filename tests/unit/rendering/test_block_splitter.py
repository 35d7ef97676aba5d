"""BlockSplitter: the same blocks however the reply is chunked, and nothing lost."""

from __future__ import annotations

import html
import re

import pytest

from desktop_app.core.rendering.block_splitter import BlockSplitter
from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.core.rendering.streaming.streamed_markdown import StreamedMarkdown

DOCUMENTS: dict[str, str] = {
    "headings": (
        "# Title\n\nIntro paragraph\nwith a second line.\n\n## Section\nText right after.\n\n"
        "### Sub\n\nMore text.\n"
    ),
    "paragraphs": "First paragraph.\n\nSecond paragraph\nspans lines.\n\nThird.",
    "list_with_blank_lines": (
        "Steps:\n\n- one\n\n- two\n\n  continued under two\n\n- three\n\nAfter the list.\n"
    ),
    "ordered_and_nested": ("1. first\n   - detail\n   - detail\n\n2. second\n\n3. third\n\nDone.\n"),
    "llm_list": "Steps:\n- a\n  - nested\n- b\n\nThen:\n1. x\n2. y\n",
    "fenced_code": (
        "Before the code.\n\n```python\n# a comment, not a heading\n\nx = 1\n\n\n# another\n"
        "def f():\n    return x\n```\n\n# Real heading\n\nAfter.\n"
    ),
    "tilde_fence_with_backticks": "~~~markdown\n```\n# not a heading\n\n```\n~~~\nafter\n",
    "table": (
        "| Name | Value |\n|---|---:|\n| a | 1 |\n| b | 2 |\n\nText after the table.\n\n| x |\n|---|\n| y |\n"
    ),
    "indented_code": "Para.\n\n    code line\n\n    more code\n    # not a heading\n\nEnd.\n",
    "mixed": (
        "## Plan\n\n> A quote\n> continues\n\n---\n\nSome *text*.\n\n```bash\nls -la\n\n"
        "echo '# hi'\n```\n- after fence\n- list\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    ),
    "no_trailing_newline": "# H\n\ntext\n\n```\nunfinished code",
}

CHUNK_SIZES = [1, 2, 3, 7, 50, None]  # None: the whole text at once


def feed(text: str, size: int | None) -> tuple[list[str], list[str]]:
    """(blocks from every take() and finish(), the tails take() returned)."""
    splitter = BlockSplitter()
    blocks: list[str] = []
    tails: list[str] = []
    step = size or max(len(text), 1)
    for i in range(0, len(text), step):
        splitter.append(text[i : i + step])
        new, tail = splitter.take()
        blocks += new
        tails.append(tail)
    blocks += splitter.finish()
    return blocks, tails


def visible(fragment: str) -> str:
    without_tags = re.sub(r"<[^>]+>", "", fragment)
    return re.sub(r"\s+", "", html.unescape(without_tags))


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


@pytest.mark.parametrize("name", DOCUMENTS)
def test_chunking_does_not_change_the_blocks(name: str) -> None:
    text = DOCUMENTS[name]
    results = {size: feed(text, size)[0] for size in CHUNK_SIZES}
    whole = results[None]
    assert len(whole) > 1 or name == "paragraphs"
    for size, blocks in results.items():
        assert blocks == whole, f"chunk size {size}"


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("size", CHUNK_SIZES)
def test_blocks_join_to_the_original_text(name: str, size: int | None) -> None:
    text = DOCUMENTS[name]
    blocks, _tails = feed(text, size)
    assert "".join(blocks) == text
    assert all(block.strip() for block in blocks)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_blocks_render_like_the_whole_text(name: str, renderer: MarkdownRenderer) -> None:
    text = DOCUMENTS[name]
    blocks, _tails = feed(text, 3)
    whole = visible(renderer.render(text))
    pieces = visible("".join(renderer.render(block) for block in blocks))
    assert pieces == whole


@pytest.mark.parametrize("name", DOCUMENTS)
def test_tail_is_always_the_uncommitted_suffix(name: str) -> None:
    text = DOCUMENTS[name]
    splitter = BlockSplitter()
    done = ""
    for i in range(0, len(text), 5):
        splitter.append(text[i : i + 5])
        new, tail = splitter.take()
        done += "".join(new)
        so_far = text[: i + 5]
        assert splitter.text == so_far
        assert so_far.endswith(tail)
        assert done + tail == so_far


def test_fenced_code_with_blank_and_hash_lines_is_one_block() -> None:
    text = DOCUMENTS["fenced_code"]
    blocks, _ = feed(text, 1)
    code = [b for b in blocks if "```python" in b]
    assert len(code) == 1
    assert code[0].rstrip("\n").endswith("```")
    assert "# another" in code[0]
    assert "# a comment, not a heading" in code[0]


def test_heading_is_a_block_of_its_own() -> None:
    blocks, _ = feed("# Title\nText right under it.\n\nNext paragraph.\n", 1)
    assert blocks == ["# Title\n", "Text right under it.\n\n", "Next paragraph.\n"]


def test_list_items_separated_by_blank_lines_stay_together() -> None:
    text = "- one\n\n- two\n\n  continued\n\n- three\n"
    assert feed(text, 1)[0] == [text]


def test_paragraph_after_a_list_starts_a_new_block() -> None:
    blocks, _ = feed("- one\n- two\n\nAfter.\n", 1)
    assert blocks == ["- one\n- two\n\n", "After.\n"]


def test_table_is_one_block() -> None:
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n"
    blocks, _ = feed(table + "\nAfter.\n", 2)
    assert blocks[0] == table + "\n"


def test_unfinished_line_stays_in_the_tail() -> None:
    splitter = BlockSplitter()
    splitter.append("# Head")
    assert splitter.take() == ([], "# Head")
    splitter.append("ing\nbody")
    assert splitter.take() == (["# Heading\n"], "body")
    assert splitter.finish() == ["body"]


def test_open_code_block_is_never_committed_early() -> None:
    splitter = BlockSplitter()
    splitter.append("```python\nx = 1\n\n\n# comment\n\nPara-like line\n")
    blocks, tail = splitter.take()
    assert blocks == []
    assert tail.startswith("```python")
    splitter.append("```\n")
    blocks, tail = splitter.take()
    assert blocks == ["```python\nx = 1\n\n\n# comment\n\nPara-like line\n```\n"]
    assert tail == ""


def test_finish_on_empty_and_whitespace_only_text() -> None:
    assert BlockSplitter().finish() == []
    splitter = BlockSplitter()
    splitter.append("\n\n  \n")
    assert splitter.finish() == []


def test_finish_twice_gives_nothing_new() -> None:
    splitter = BlockSplitter()
    splitter.append("para\n\n# H\n")
    assert splitter.finish() == ["para\n\n", "# H\n"]
    assert splitter.finish() == []


def test_whitespace_only_runs_are_not_blocks() -> None:
    """Blank runs that fall between blocks are dropped (they render to nothing)."""
    text = "# H\n\n\n\nPara\n"
    blocks, _ = feed(text, 1)
    assert blocks == ["# H\n", "Para\n"]
    assert "".join(blocks).split() == text.split()


def test_longer_closing_fence_matches_the_renderer(renderer: MarkdownRenderer) -> None:
    text = "```\ncode\n````\nstill code for Python-Markdown\n```\nafter\n"
    blocks, _ = feed(text, 1)
    whole = visible(renderer.render(text))
    assert visible("".join(renderer.render(b) for b in blocks)) == whole


@pytest.mark.parametrize("size", CHUNK_SIZES)
def test_reference_links_across_blocks_resolve_through_streamed_markdown(
    renderer: MarkdownRenderer, size: int | None
) -> None:
    """Split into blocks, a link and its later definition resolve when rendered with one set of
    definitions (``StreamedMarkdown``), as in one whole conversion."""
    text = "See [the docs][1].\n\n[1]: https://example.com\n\nAnd [the docs][1] again.\n"
    blocks, _ = feed(text, size)
    if size is not None:
        assert len(blocks) >= 2
    streamed = StreamedMarkdown(renderer.render)
    streamed.add(blocks)
    joined = "".join(streamed.html)
    assert joined.count('href="https://example.com"') == 2
    assert visible(joined) == visible(renderer.render(text))
