"""MarkdownRenderer against a CommonMark reference (markdown-it-py) on a corpus of realistic replies.

Each reply in ``tests/fixtures/replies/`` is rendered twice: by our Python-Markdown based renderer and
by markdown-it-py (CommonMark + GFM tables, raw HTML off, like ours). Both HTML outputs are reduced to
the same normalized structure and compared: the top-level blocks in order, the shape of every list
(recursively), the exact code of every code block with its language, table headers and row counts,
and the visible text. Presentation details that legitimately differ are normalized away below, each
with the reason.
"""

from __future__ import annotations

import difflib
import pprint
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from desktop_app.core.rendering.markdown_render import MarkdownRenderer, close_open_fence, open_fence

REPLIES = Path(__file__).resolve().parents[2] / "fixtures" / "replies"
CORPUS = sorted(path.name for path in REPLIES.glob("*.md"))

# Replies our renderer gets wrong. Strict: when the renderer is fixed the test reports XPASS, and the
# entry must go.
KNOWN_BUGS: dict[str, str] = {}

BLOCK_TAGS = frozenset(
    {"p", "ul", "ol", "li", "pre", "table", "blockquote", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
)
VOID_TAGS = frozenset({"br", "hr", "img", "input", "col", "wbr"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
TASK_MARK_RE = re.compile(r"^\[([ xX])\](?= )")
ALIGN_RE = re.compile(r"text-align:\s*(left|right|center)")
ITEM_RE = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +)")
FENCE_RE = re.compile(r"^ *(`{3,}|~{3,})")


# -- parsing HTML into a small tree -----------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def find(self, tag: str) -> Node | None:
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    return child
                found = child.find(tag)
                if found is not None:
                    return found
        return None

    def find_all(self, tag: str) -> list[Node]:
        found: list[Node] = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.find_all(tag))
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self._stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# -- normalizing ------------------------------------------------------------------------------------


def squash(text: str) -> str:
    return " ".join(text.split())


def text_of(node: Node | str) -> str:
    """Visible text. Our renderer turns images into links labelled ``[alt]``: read the reference's
    <img> the same way. <br> is a space (only whitespace-normalized text is compared)."""
    if isinstance(node, str):
        return node
    if node.tag == "img":
        return f"[{node.attrs.get('alt') or 'image'}]"
    if node.tag == "br":
        return " "
    return "".join(text_of(child) for child in node.children)


def inline_text(node: Node | str) -> str:
    return squash(text_of(node))


def is_code_table(node: Node) -> bool:
    return node.tag == "table" and "codeblock" in node.attrs.get("class", "").split()


def code_block(node: Node) -> tuple[str, str, str]:
    """("code", language, code) for a reference <pre><code> or our code-block table."""
    # Ours: <table class="codeblock"> with the language label in the first row and the code, split
    # into Pygments spans, in the <code> of the second. Reference: <pre><code class="language-x">.
    code_el = node.find("code")
    if is_code_table(node):
        label = node.find("span")
        language = text_of(label) if label is not None else ""
    else:
        classes = code_el.attrs.get("class", "").split() if code_el is not None else []
        language = next((c.removeprefix("language-") for c in classes if c.startswith("language-")), "")
    code = text_of(code_el if code_el is not None else node)
    # Ours labels a block without a language "text" and lowercases the language for the lexer.
    language = language.strip().lower() or "text"
    # The reference keeps the final newline, ours strips it (and Pygments drops leading blank lines);
    # only the lines of code matter.
    return ("code", language, code.strip("\n"))


def table_block(node: Node) -> tuple[str, dict[str, Any]]:
    header = [inline_text(cell) for cell in node.find_all("th")]
    aligns = []
    for cell in node.find_all("th"):
        align = ALIGN_RE.search(cell.attrs.get("style", ""))  # "text-align: left;" vs "text-align:left"
        aligns.append(align.group(1) if align else None)
    body = node.find("tbody")
    body_rows = body.find_all("tr") if body is not None else []
    rows = [[inline_text(cell) for cell in row.find_all("td")] for row in body_rows]
    return ("table", {"header": header, "align": aligns, "rows": len(rows), "cells": rows})


def list_block(node: Node) -> tuple[str, dict[str, Any]]:
    items = [list_item(child) for child in node.children if isinstance(child, Node) and child.tag == "li"]
    start = node.attrs.get("start", "1") if node.tag == "ol" else None
    info: dict[str, Any] = {"items": items}
    if start is not None:
        info["start"] = int(start)
    return (node.tag, info)


def list_item(node: Node) -> list[Any]:
    """An item's content as blocks, with <p> wrappers dropped.

    Python-Markdown and CommonMark disagree on which items are "loose" (wrapped in <p>): CommonMark
    makes a whole list loose when any item is, Python-Markdown decides per item. The reader sees the
    same words either way, so the text of an item's paragraphs is joined into one "text" entry
    between its nested blocks.
    """
    out: list[Any] = []
    buffer: list[str] = []

    def flush() -> None:
        text = inline_text("".join(buffer))
        if text:
            out.append(("text", text))
        buffer.clear()

    def walk(children: list[Node | str]) -> None:
        for child in children:
            if isinstance(child, Node) and child.tag == "p":
                walk(child.children)
                buffer.append(" ")
            elif isinstance(child, Node) and (child.tag in BLOCK_TAGS or is_code_table(child)):
                flush()
                out.append(block(child))
            else:
                buffer.append(text_of(child))

    walk(node.children)
    flush()
    return out


def block(node: Node) -> Any:
    if is_code_table(node) or node.tag == "pre":
        return code_block(node)
    if node.tag in HEADINGS:
        return (node.tag, inline_text(node))
    if node.tag == "p":
        return ("p", inline_text(node))
    if node.tag in ("ul", "ol"):
        return list_block(node)
    if node.tag == "table":
        return table_block(node)
    if node.tag == "blockquote":
        return ("blockquote", blocks(node))
    if node.tag == "hr":
        return ("hr",)
    return ("inline", inline_text(node))  # an element outside any block: shown as a difference


def blocks(node: Node) -> list[Any]:
    out: list[Any] = []
    for child in node.children:
        if isinstance(child, str):
            if child.strip():
                out.append(("text", squash(child)))
        else:
            out.append(block(child))
    return out


def structure(html: str) -> list[Any]:
    return blocks(parse_html(html))


def as_task_list(entry: Any) -> Any:
    """The reference structure with GitHub task markers shown as our ballot boxes.

    CommonMark has no task lists: the reference keeps "[ ] todo" / "[x] done" as item text, where
    our renderer shows "☐ todo" / "☑ done". Only the text at the very start of an item is a marker.
    """
    if isinstance(entry, list):
        return [as_task_list(child) for child in entry]
    if isinstance(entry, dict):
        items = entry.get("items")
        if items is None:
            return entry
        converted = []
        for item in items:
            item = as_task_list(item)
            if item and item[0][0] == "text":
                box = TASK_MARK_RE.sub(lambda m: "☐" if m.group(1) == " " else "☑", item[0][1])
                item = [("text", box), *item[1:]]
            converted.append(item)
        return {**entry, "items": converted}
    if isinstance(entry, tuple):
        return tuple(as_task_list(child) for child in entry)
    return entry


def kinds(entries: list[Any]) -> list[str]:
    return [entry[0] for entry in entries]


# -- the two renderers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


@pytest.fixture(scope="module")
def reference() -> MarkdownIt:
    # CommonMark with GFM tables. Raw HTML off: markdown-it then escapes it as text, which is exactly
    # what our renderer does with model output.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def nest_as_meant(text: str) -> str:
    """The reply as the reference should read it: sub-items nested the way the model meant.

    An intended divergence, not a bug: in CommonMark a sub-item must start at its parent's content
    column, so "1. a" + "  - b" (2 spaces, parent content at 3) is a new top-level list that breaks
    the numbered one in two. Models write it meaning a nested list, and our renderer nests it. For
    the reference, such a sub-item (deeper than its parent's marker, shallower than its content) is
    moved to the parent's content column; nothing else (code included) changes.
    """
    out: list[str] = []
    parents: list[tuple[int, int]] = []  # (source indent, content column) of the open items
    fence = ""
    for line in text.splitlines():
        marker = FENCE_RE.match(line)
        if fence:  # code is left alone; a fence closes on the same character, at least as long
            closer = marker.group(1) if marker is not None and not line.strip(" `~") else ""
            if closer[:1] == fence[0] and len(closer) >= len(fence):
                fence = ""
            out.append(line)
            continue
        if marker:
            fence = marker.group(1)
            out.append(line)
            continue
        item = ITEM_RE.match(line)
        if item is None:
            if line.strip() and not line.startswith(" "):
                parents = []
            out.append(line)
            continue
        indent = len(item.group(1))
        while parents and indent <= parents[-1][0]:
            parents.pop()
        new_indent = max(indent, parents[-1][1]) if parents else indent
        parents.append((indent, new_indent + len(item.group(2)) + len(item.group(3))))
        out.append(" " * new_indent + line[indent:])
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def render_both(name: str, renderer: MarkdownRenderer, reference: MarkdownIt) -> tuple[str, str]:
    text = (REPLIES / name).read_text(encoding="utf-8")
    if open_fence(text) is not None:
        # A reply cut off mid code block: the app shows it with render_streaming; the reference is
        # the same text with the fence closed.
        return renderer.render_streaming(text), reference.render(nest_as_meant(close_open_fence(text)))
    return renderer.render(text), reference.render(nest_as_meant(text))


def describe(name: str, ours: list[Any], ref: list[Any]) -> str:
    ours_lines = pprint.pformat(ours, width=100).splitlines()
    ref_lines = pprint.pformat(ref, width=100).splitlines()
    diff = "\n".join(difflib.unified_diff(ref_lines, ours_lines, "reference", "ours", lineterm=""))
    return (
        f"{name}: MarkdownRenderer differs from CommonMark\n"
        f"  block kinds, reference: {kinds(ref)}\n"
        f"  block kinds, ours:      {kinds(ours)}\n"
        f"--- diff (reference -> ours) ---\n{diff}\n"
        f"--- reference ---\n{pprint.pformat(ref, width=100)}\n"
        f"--- ours ---\n{pprint.pformat(ours, width=100)}"
    )


def corpus_params() -> list[Any]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name]))
        if name in KNOWN_BUGS
        else name
        for name in CORPUS
    ]


@pytest.mark.parametrize("name", corpus_params())
def test_reply_matches_commonmark(name: str, renderer: MarkdownRenderer, reference: MarkdownIt) -> None:
    ours_html, ref_html = render_both(name, renderer, reference)
    ours, ref = structure(ours_html), as_task_list(structure(ref_html))
    assert ours == ref, describe(name, ours, ref)


# -- the harness itself -----------------------------------------------------------------------------


def test_corpus_is_there() -> None:
    assert 20 <= len(CORPUS) <= 30
    assert set(KNOWN_BUGS) <= set(CORPUS)
    for name in CORPUS:
        lines = (REPLIES / name).read_text(encoding="utf-8").splitlines()
        assert 10 <= len(lines) <= 80, name


def test_normalization_ignores_presentation_only(renderer: MarkdownRenderer, reference: MarkdownIt) -> None:
    text = (
        "# T\n\n- [ ] a\n- [X] b\n\n  more b\n\n![pic](https://example.com/p.png) <b>raw</b>\n\n"
        "| x | y |\n|:--|--:|\n| 1 | 2 |\n\n```\ncode\n```\n"
    )
    ours, ref = structure(renderer.render(text)), as_task_list(structure(reference.render(text)))
    assert ours == ref, describe("inline sample", ours, ref)
    assert kinds(ours) == ["h1", "ul", "p", "table", "code"]
    assert ours[1] == ("ul", {"items": [[("text", "☐ a")], [("text", "☑ b more b")]]})
    assert ours[2] == ("p", "[pic] <b>raw</b>")
    assert ours[3][1]["align"] == ["left", "right"]
    assert ours[4] == ("code", "text", "code")


def test_nest_as_meant_only_moves_sub_items_shallower_than_their_parents_content() -> None:
    assert nest_as_meant("1. a\n  - b\n  - c\n2. d\n") == "1. a\n   - b\n   - c\n2. d\n"
    assert nest_as_meant("10. a\n  - b") == "10. a\n    - b"
    unchanged = [
        "- a\n  - b\n    - c\n- d",  # already at the content column
        "* a\n    * b\n        * c",  # deeper than the content column is nesting in CommonMark too
        "1. a\n   - b\n\n   text\n2. c",
        "Text\n  - not a sub-item",
        "```\n1. a\n  - b\n```",  # code
        "1. a\n   ```yaml\n   - x\n     - y\n   ```",
    ]
    for text in unchanged:
        assert nest_as_meant(text) == text


def test_comparison_sees_structural_differences(renderer: MarkdownRenderer, reference: MarkdownIt) -> None:
    # A nested list flattened, a code language lost, and a paragraph split must all be reported.
    assert structure(reference.render("- a\n  - b")) != structure(reference.render("- a\n- b"))
    assert structure(renderer.render("```py\nx\n```")) != structure(reference.render("```\nx\n```"))
    assert structure(reference.render("a\n\nb")) != structure(reference.render("a\nb"))
    assert structure(reference.render("1. a\n2. b")) != structure(reference.render("3. a\n4. b"))
