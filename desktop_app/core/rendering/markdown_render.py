"""Markdown to the HTML subset Qt's rich text understands; model output is untrusted input.

Raw HTML in a reply is shown as text (Python-Markdown's raw-HTML handling is removed), images become
plain links (Qt would otherwise load local files), and only http(s)/mailto links stay clickable.
A preprocessor repairs the list forms LLMs write that Python-Markdown would otherwise flatten.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.block_splitter import BlockSplitter

# Re-exported: the text-level helpers were here before they moved to ``markdown_text``.
from desktop_app.core.rendering.markdown_text import COPY_SCHEME as COPY_SCHEME
from desktop_app.core.rendering.markdown_text import close_open_fence as close_open_fence
from desktop_app.core.rendering.markdown_text import fence_line_as_data as fence_line_as_data
from desktop_app.core.rendering.markdown_text import is_safe_url as is_safe_url
from desktop_app.core.rendering.markdown_text import normalize_llm_lists as normalize_llm_lists
from desktop_app.core.rendering.markdown_text import open_fence as open_fence
from desktop_app.core.rendering.render_budget import RenderBudget, plain_html, too_deep

if TYPE_CHECKING:  # Python-Markdown and Pygments are imported at the first render (see ``_md``)
    import markdown
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer
    from pygments.style import Style

CODE_BLOCK_RE = re.compile(
    r'<pre(?: class="highlight")?><code(?: class="language-([^"]*)")?>(.*?)</code></pre>', re.DOTALL
)
COMMON_LEXERS = ("python", "javascript", "typescript", "bash", "json", "sql", "c", "cpp", "rust")
References = dict[str, tuple[str, str]]  # Python-Markdown's: id (lower case) -> (url, title)
# A token's look: its colour (hex, no "#"; None: the text's own), bold, italic.
TokenLook = tuple[str | None, bool, bool]


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
        self._formatter: HtmlFormatter[str] | None = None
        self._lexers: dict[tuple[str, bool], Lexer] = {}  # by language, and raw (see ``_lexer``)
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

    def _highlighter(self) -> HtmlFormatter[str]:
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

    def _lexer(self, language: str, raw: bool = False) -> Lexer:
        """``raw``: one that keeps every newline (``code_tokens``), where a block's render strips them."""
        lexer = self._lexers.get((language, raw))
        if lexer is None:
            from pygments.lexers import TextLexer, get_lexer_by_name
            from pygments.util import ClassNotFound

            options = {"stripnl": False, "ensurenl": False} if raw else {}
            try:
                lexer = get_lexer_by_name(language, **options) if language else TextLexer(**options)
            except ClassNotFound:
                lexer = TextLexer(**options)
            self._lexers[(language, raw)] = lexer
        return lexer

    def code_tokens(self, code: str, language: str, style_name: str) -> Iterator[tuple[str, TokenLook]]:
        """``code`` as highlighted pieces in Pygments style ``style_name`` (all uncoloured for ""),
        for code that grows in place (see ``ui/conversation/view/open_code``). Every character of
        ``code`` is in the pieces, in order: no newline is stripped or added."""
        style = quiet_whitespace(style_name) if style_name else None
        for token, text in self._lexer(language, raw=True).get_tokens(code):
            if style is None:
                yield text, (None, False, False)
            else:
                look = style.style_for_token(token)
                yield text, (look["color"] or None, bool(look["bold"]), bool(look["italic"]))

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


@functools.cache
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
