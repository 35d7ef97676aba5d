"""The Python-Markdown parser the app renders with, and its extensions (the LLM-list repairs, task
lists, table code pipes, the safety pass).

A module of its own so that ``markdown_render`` can be imported without Python-Markdown: it is
imported at the first render (about 30 ms, and its first parser ~0.1 s), which a window opening on
an empty conversation never pays before it shows.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from desktop_app.core.rendering.markdown_text import (
    is_safe_url,
    link_title,
    normalize_llm_lists,
    normalize_quotes,
)


class _ListPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return normalize_llm_lists(normalize_quotes(lines))


TASK_RE = re.compile(r"^\[([ xX])\]\s+")


class _TaskListTreeprocessor(Treeprocessor):
    """GitHub task lists (``- [ ] todo``, ``- [x] done``) as ballot boxes."""

    def run(self, root: ET.Element) -> None:
        for item in root.iter("li"):
            holder = item[0] if len(item) and item[0].tag == "p" and not (item.text or "").strip() else item
            match = TASK_RE.match(holder.text or "")
            if match:
                box = "☑" if match.group(1).lower() == "x" else "☐"
                holder.text = f"{box} " + (holder.text or "")[match.end() :]


class _TableCodePipeTreeprocessor(Treeprocessor):
    """GFM reads ``\\|`` in a table cell as a pipe even inside a code span; so do we."""

    def run(self, root: ET.Element) -> None:
        for cell in (c for row in root.iter("tr") for c in row):
            for code in cell.iter("code"):
                if code.text and "\\|" in code.text:
                    code.text = AtomicString(code.text.replace("\\|", "|"))


class _SafetyTreeprocessor(Treeprocessor):
    """Neutralise what a hostile reply could do through the rich-text view."""

    def run(self, root: ET.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img":
                    parent.remove(child)
                    parent.insert(index, self._image_as_link(child))
        for table in root.iter("table"):
            # Qt draws cell borders from attributes, not from CSS on every td.
            table.set("border", "1")
            table.set("cellspacing", "0")
            table.set("cellpadding", "5")
            table.set("style", "border-color:#d0d7de; border-style:solid;")
        for link in root.iter("a"):
            href = link.get("href", "")
            if not is_safe_url(href):
                link.attrib.pop("href", None)
                link.tag = "span"
            else:
                link.set("title", link_title(href))

    @staticmethod
    def _image_as_link(img: ET.Element) -> ET.Element:
        src = img.get("src", "")
        alt = img.get("alt") or "image"
        element = ET.Element("a") if is_safe_url(src) else ET.Element("span")
        if is_safe_url(src):
            element.set("href", src)
        element.text = f"[{alt}]"
        element.tail = img.tail
        return element


class SafeLLMExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Raw HTML is never interpreted: without these, it is escaped and shown as text.
        for name in ("html_block",):
            if name in md.preprocessors:
                md.preprocessors.deregister(name)
        for name in ("html",):
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        # After whitespace normalisation (30), before fences are taken out (25).
        md.preprocessors.register(_ListPreprocessor(md), "llm_lists", 28)
        md.treeprocessors.register(_SafetyTreeprocessor(md), "llm_safety", 0)
        md.treeprocessors.register(_TaskListTreeprocessor(md), "task_lists", 1)
        md.treeprocessors.register(_TableCodePipeTreeprocessor(md), "table_code_pipes", 2)


def new_parser() -> markdown.Markdown:
    """Python-Markdown with the extensions the app renders with."""
    return markdown.Markdown(
        # superfences: fences inside list items and quotes, as models write them.
        extensions=[
            "pymdownx.highlight",
            "pymdownx.superfences",
            "tables",
            "sane_lists",
            SafeLLMExtension(),
        ],
        extension_configs={"pymdownx.highlight": {"use_pygments": False}},
        output_format="html",
    )
