"""Markdown to the HTML subset Qt's rich text understands; model output is untrusted input.

Raw HTML in a reply is shown as text (Python-Markdown's raw-HTML handling is removed), images become
plain links (Qt would otherwise load local files), and only http(s)/mailto links stay clickable.
A preprocessor repairs the list forms LLMs write that Python-Markdown would otherwise flatten.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import ada_url

from desktop_app.core.rendering import fences, sanitize
from desktop_app.core.rendering.block_splitter import BlockSplitter
from desktop_app.core.rendering.render_budget import RenderBudget, plain_html, too_deep

if TYPE_CHECKING:  # Python-Markdown and Pygments are imported at the first render (see ``_md``)
    import markdown
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer
    from pygments.style import Style

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
COPY_SCHEME = "copy"  # the app's own links (Copy buttons); model output can never produce one
TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
LIST_ITEM_RE = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)")
CODE_BLOCK_RE = re.compile(
    r'<pre(?: class="highlight")?><code(?: class="language-([^"]*)")?>(.*?)</code></pre>', re.DOTALL
)
AMP_SUBSTITUTE = "\x02amp\x03"  # markdown.util's placeholder for "&" (not imported: see above)
COMMON_LEXERS = ("python", "javascript", "typescript", "bash", "json", "sql", "c", "cpp", "rust")
References = dict[str, tuple[str, str]]  # Python-Markdown's: id (lower case) -> (url, title)


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


class MarkdownRenderer:
    """Converts markdown to Qt-friendly HTML; one instance per view (Python-Markdown is not thread-safe)."""

    def __init__(
        self,
        code_background: str = "#f3f4f6",
        code_header: bool = True,
        clean: Callable[[str], str] = sanitize.for_view,
    ) -> None:
        """``clean``: the sanitizer profile of where the HTML goes (the Qt view by default)."""
        self._parser: markdown.Markdown | None = None  # built at the first render (see ``_md``)
        # Highlighting is done here rather than by codehilite, which builds a new formatter (and
        # its stylesheet) for every block: one formatter and cached lexers are ~2x faster. Built at
        # the first code block (see ``_highlighter``): it costs ~15 ms, at every window's start.
        self._formatter: HtmlFormatter | None = None
        self._lexers: dict[str, Lexer] = {}
        self.inline_style = ""  # see ``highlight_inline``
        # What each code block's Copy link copies, by key (links carry the key, never the code).
        self.code_snippets: dict[str, str] = {}
        self.code_header = code_header  # the language label and Copy link above each block
        self.code_background = code_background
        self.code_header_background = code_background  # the strip with the language and copy link
        self._clean = clean
        self.budget = RenderBudget()

    @property
    def _md(self) -> markdown.Markdown:
        """The parser, built when first needed: the first one in a process costs ~0.1 s (its
        extensions' patterns are compiled), which a window with nothing to render yet never pays."""
        if self._parser is None:
            from desktop_app.core.rendering.markdown_parser import new_parser

            self._parser = new_parser()
        return self._parser

    def highlight_inline(self, style: str) -> None:
        """Colour code with inline styles of Pygments style ``style`` instead of classes: a Qt
        document then needs no highlighting stylesheet, whose 80-odd rules cost more to apply to
        every element than the inline colours of the code's own tokens (about 1.5x a setHtml).
        Whitespace is left uncoloured (a colour on spaces shows nothing): that takes about 60% of
        the spans out of highlighted code, and a third of the cost of parsing and laying it out."""
        if style != self.inline_style:
            self.inline_style = style
            self._formatter = None  # made for the new style at the next code block

    def _highlighter(self) -> HtmlFormatter:
        """The formatter for ``inline_style`` (class-based while there is none)."""
        if self._formatter is None:
            from pygments.formatters import HtmlFormatter

            if self.inline_style:
                style = quiet_whitespace(self.inline_style)
                self._formatter = HtmlFormatter(nowrap=True, noclasses=True, nobackground=True, style=style)
            else:
                self._formatter = HtmlFormatter(nowrap=True)
        return self._formatter

    def render(self, text: str, references: References | None = None) -> str:
        """``references``: link definitions ([id]: url) from other parts of the same reply, which
        ``text`` may use; definitions ``text`` makes are added to it.

        Text nested too deep, or that took too long before, is shown as plain text (per block)."""
        if self.budget.was_slow(text) or too_deep(text):
            return self._render_by_block(text, references)
        return self._convert(text, references)

    def render_streaming(self, text: str, references: References | None = None) -> str:
        """Render text that may end mid-block (an open code fence is closed first); a definition
        in it is not kept (it may still be changing)."""
        if self.budget.stream_was_slow(text):
            return plain_html(text)
        closed = close_open_fence(text)
        if self.budget.was_slow(closed) or too_deep(closed):
            return self._render_by_block(closed, None if references is None else dict(references))
        return self._convert(closed, None if references is None else dict(references), streaming=text)

    def _render_by_block(self, text: str, references: References | None) -> str:
        """Each top-level block on its own, so only the offending ones become plain text."""
        splitter = BlockSplitter()
        splitter.append(text if text.endswith("\n") else text + "\n")  # the last line ends too
        blocks = splitter.finish()
        if len(blocks) <= 1:
            return plain_html(text)
        shared: References = {} if references is None else references
        return "".join(self.render(block, shared) for block in blocks)

    def _convert(self, text: str, references: References | None, streaming: str | None = None) -> str:
        """``streaming``: the tail as it streams (before its fence was closed), for the budget."""
        md = self._md.reset()
        if references is not None:
            md.references.update(references)
        started = self.budget.clock()
        converted = md.convert(text)
        if streaming is None:
            self.budget.measure(text, started)
        else:
            self.budget.measure(streaming, started, streaming=True)
        if references is not None:
            references.update(md.references)
        return self._clean(CODE_BLOCK_RE.sub(self._wrap_code, converted))

    def _lexer(self, language: str) -> Lexer:
        lexer = self._lexers.get(language)
        if lexer is None:
            from pygments.lexers import TextLexer, get_lexer_by_name
            from pygments.util import ClassNotFound

            try:
                lexer = get_lexer_by_name(language) if language else TextLexer()
            except ClassNotFound:
                lexer = TextLexer()
            self._lexers[language] = lexer
        return lexer

    def _wrap_code(self, match: re.Match[str]) -> str:
        # Qt paints <pre> backgrounds line by line; a one-cell table gives one continuous box.
        language = (match.group(1) or "").strip().lower()
        code = html.unescape(match.group(2)).rstrip("\n")
        from pygments import highlight

        body = highlight(code, self._lexer(language), self._highlighter()).rstrip("\n")
        key = hashlib.sha1(code.encode("utf-8")).hexdigest()[:16]
        self.code_snippets[key] = code
        label = html.escape(language or "text")
        if not self.code_header:
            return f'<pre class="codehilite"><code>{body}</code></pre>'
        return (
            f'<table class="codeblock" width="100%" cellspacing="0" cellpadding="6" '
            f'bgcolor="{self.code_background}">'
            f'<tr><td bgcolor="{self.code_header_background}"><span style="color:#6a737d">{label}</span></td>'
            f'<td align="right" bgcolor="{self.code_header_background}">'
            f'<a href="{COPY_SCHEME}:code-{key}" style="text-decoration:none; color:#6a737d">'
            "❐ Copy</a></td></tr>"
            # pre-wrap: a 50 KB line wraps in its box instead of widening the whole conversation.
            f'<tr><td colspan="2"><pre class="codehilite" style="white-space: pre-wrap"><code>{body}</code>'
            "</pre></td></tr></table>"
        )


def quiet_whitespace(name: str) -> type[Style]:
    """Pygments style ``name`` with no colour of its own on whitespace."""
    from pygments.styles import get_style_by_name
    from pygments.token import Text, Whitespace

    base = get_style_by_name(name)
    styles = {**base.styles, Whitespace: "", Text.Whitespace: ""}
    return type(f"{base.__name__}QuietWhitespace", (base,), {"styles": styles})


def pygments_css(style: str = "default") -> str:
    """Class-based highlighting rules for ``QTextDocument.setDefaultStyleSheet``."""
    from pygments.formatters import HtmlFormatter

    formatter = HtmlFormatter(style=style, nobackground=True)
    return str(formatter.get_style_defs(".codehilite"))  # type: ignore[no-untyped-call]


def prewarm_lexers(names: tuple[str, ...] = COMMON_LEXERS) -> None:
    """Import common lexers ahead of time: a cold lexer costs 3-27 ms in the middle of a stream.
    The first parser's patterns are compiled here too (a later parser reuses them)."""
    from desktop_app.core.rendering.markdown_parser import new_parser

    new_parser().convert("*warm* **up**\n\n- a\n\n| a |\n|---|\n| b |\n\n```python\nx = 1\n```\n")
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    for name in names:
        try:
            get_lexer_by_name(name)
        except ClassNotFound:
            continue
