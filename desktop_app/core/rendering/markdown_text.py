"""Markdown read and repaired as text, before any parser: which links are safe, where fences
open and close, and the list forms LLMs write that Python-Markdown would otherwise flatten.

No Python-Markdown here: ``markdown_render`` and the view use these at start-up, and Python-Markdown
(with its parser, ~0.1 s) is imported at the first render (``markdown_parser``).
"""

from __future__ import annotations

import html
import re

import ada_url

from desktop_app.core.rendering import fences

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
COPY_SCHEME = "copy"  # the app's own links (Copy buttons); model output can never produce one
TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
LIST_ITEM_RE = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)")
AMP_SUBSTITUTE = "\x02amp\x03"  # markdown.util's placeholder for "&" (not imported: see above)


FENCE_LANGUAGE_RE = re.compile(r"[A-Za-z0-9_+#-]*")
FENCE_CLASS_RE = re.compile(r"(?:^|[\s{])\.([A-Za-z0-9_+#-]+)")


def is_safe_url(url: str) -> bool:
    """True for an absolute http(s)/mailto URL that parses as browsers parse it (WHATWG); a URL
    that does not parse (``http://[host]/x``, as models write placeholders) is not a link."""
    # Python-Markdown hides e-mail autolinks behind entities: decode before reading the scheme.
    decoded = html.unescape(url.replace(AMP_SUBSTITUTE, "&")).strip()
    try:
        scheme = ada_url.URL(decoded).protocol.rstrip(":").lower()
    except ValueError:
        return False
    return scheme in SAFE_SCHEMES


def link_title(url: str) -> str:
    """A safe link's tooltip: the URL, percent-encoded where it has angle brackets (Qt shows a
    tooltip that looks like HTML as HTML; ``https://a.example/<img src=/dev/zero>`` must not)."""
    if "<" not in url and ">" not in url:
        return url
    try:
        return str(ada_url.URL(html.unescape(url.replace(AMP_SUBSTITUTE, "&")).strip()).href)
    except ValueError:
        return ""


def fence_line_as_data(line: str, fence: str) -> str:
    """An opening fence line with its info string cut to a bare language name.

    superfences reads ``{#id .class key=val}`` and highlight options (``title=``, ``hl_lines=``)
    after a fence and turns them into attributes; from a model they are data, never markup.
    """
    info = line[len(fence) :].strip()
    if not info:
        return line
    if info.startswith("{"):  # an attribute list: its first class names the language
        named = FENCE_CLASS_RE.search(info)
        return fence + (named.group(1) if named else "")
    language = FENCE_LANGUAGE_RE.match(info.lstrip("."))
    return fence + (language.group(0) if language else "")


def open_fence(text: str) -> str | None:
    """The fence marker of a code block left open at the end of ``text``, else ``None``."""
    fence: str | None = None
    for line in text.splitlines():
        if fence is None:
            fence = fences.opening(line)
        elif fences.closes(line, fence):
            fence = None
    return fence


def close_open_fence(text: str) -> str:
    """Close a half-streamed code block so it renders as code instead of flickering as prose."""
    fence = open_fence(text)
    if fence is None:
        return text
    return text + ("" if text.endswith("\n") else "\n") + fence


def _ends_in_separate_paragraph(out: list[str]) -> bool:
    """True when the lines written last are a paragraph set off by a blank line after an item."""
    if not out or not out[-1].strip():
        return False
    for line in reversed(out):
        if not line.strip():
            return True
        if LIST_ITEM_RE.match(line.lstrip(" ")):
            return False
    return False


def _level_of(indent: int, indent_levels: list[int]) -> int:
    """The list level an item at this source indent returns to."""
    return max((i for i, marker in enumerate(indent_levels) if marker <= indent), default=0)


def _leaves_spaced_sub_list(out: list[str], indent: int, indent_levels: list[int]) -> bool:
    """True when an item at this indent leaves a sub-list that began after a blank line.

    Python-Markdown then reads the sub-list as an indented block of its own, and an outer item
    touching it would be swallowed into its last item as lazy text.
    """
    if indent >= indent_levels[-1]:
        return False
    written_indent = 4 * _level_of(indent, indent_levels)
    for line in reversed(out):
        if not line.strip():
            return True
        if LIST_ITEM_RE.match(line) and len(line) - len(line.lstrip(" ")) <= written_indent:
            return False
    return False


def normalize_llm_lists(lines: list[str]) -> list[str]:
    """Make typical LLM lists parse as lists under Python-Markdown.

    - A list right after a paragraph line gets the blank line Python-Markdown requires.
    - 2- or 3-space nesting is widened to the 4 spaces Python-Markdown requires.
    - A table right after a paragraph line gets a blank line before it.
    - A fence at the margin touching text above or below gets blank lines around it (models
      often write "Run:\n```bash"), so it is never swallowed into a paragraph.
    Fenced code is left alone.
    """
    out: list[str] = []
    fence: str | None = None
    indent_levels: list[int] = []  # source indents of the open list levels
    blank_after_fence = False
    for number, line in enumerate(lines):
        if fence is not None:
            out.append(line)
            if fences.closes(line, fence):
                blank_after_fence = fence[:1] in "`~"  # a fence at the margin
                fence = None
            continue
        if blank_after_fence and line.strip():
            out.append("")
            indent_levels = []
        blank_after_fence = False
        fence = fences.opening(line)
        if fence is not None:
            if fence[:1] in "`~" and out and out[-1].strip():
                out.append("")
                indent_levels = []
            out.append(fence_line_as_data(line, fence))
            continue
        if (
            line.lstrip().startswith("|")
            and out
            and out[-1].strip()
            and not out[-1].lstrip().startswith("|")
            and number + 1 < len(lines)
            and TABLE_RULE_RE.match(lines[number + 1])
        ):
            out.append("")  # "Here is a comparison:\n| a | b |": the table needs its blank line
        item = LIST_ITEM_RE.match(line)
        if item and not indent_levels and len(item.group(1)) >= 4:
            item = None  # an indented code block, not a list
        if item:
            indent = len(item.group(1))
            if not indent_levels:
                prev = out[-1] if out else ""
                if prev.strip() and not LIST_ITEM_RE.match(prev) and not prev.startswith("    "):
                    out.append("")
                indent_levels = [indent]
            else:
                if _ends_in_separate_paragraph(out):
                    # After an item's own second paragraph, an item needs a blank line or
                    # Python-Markdown reads it as more of that paragraph.
                    out.append("")
                elif _leaves_spaced_sub_list(out, indent, indent_levels):
                    out.append("")
                while indent_levels and indent < indent_levels[-1]:
                    indent_levels.pop()
                if not indent_levels:
                    indent_levels = [indent]
                elif indent > indent_levels[-1]:
                    indent_levels.append(indent)
            level = len(indent_levels) - 1
            out.append(" " * (4 * level) + line[indent:])
            continue
        if not line.strip():
            out.append(line)
            continue
        if indent_levels:
            stripped = len(line) - len(line.lstrip(" "))
            if stripped > indent_levels[0]:
                # Continuation text belongs to the deepest item whose marker it is indented past;
                # deeper sub-lists end there.
                owner = max(i for i, marker in enumerate(indent_levels) if stripped > marker)
                indent_levels = indent_levels[: owner + 1]
                out.append(" " * (4 * (owner + 1)) + line.lstrip(" "))
                continue
            indent_levels = []
        out.append(line)
    return out


QUOTE_RE = re.compile(r"^( {0,3}> ?)")


def normalize_quotes(lines: list[str]) -> list[str]:
    """Apply the list repairs inside block quotes too (their lines minus the ``>`` prefix)."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        if not QUOTE_RE.match(lines[index]):
            out.append(lines[index])
            index += 1
            continue
        end = index
        while end < len(lines) and QUOTE_RE.match(lines[end]):
            end += 1
        inner = [QUOTE_RE.sub("", line, count=1) for line in lines[index:end]]
        out.extend(("> " + line).rstrip() if line else ">" for line in normalize_llm_lists(inner))
        index = end
    return out
