"""The shared page's HTML for each message, rendered on the share server's thread.

Model output is untrusted: replies go through ``MarkdownRenderer`` (raw HTML escaped, unsafe links
neutralised, then the page's sanitizer profile) and user text and notices are escaped whole, so
the page can insert what it is sent as HTML without parsing markdown or trusting anyone.
"""

from __future__ import annotations

import html

from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.block_splitter import BlockSplitter
from desktop_app.core.rendering.markdown_render import MarkdownRenderer, References
from desktop_app.core.rendering.streaming.streamed_markdown import StreamedMarkdown


class HtmlRenderer:
    """Markdown and plain text as page HTML; one per server (Python-Markdown is not thread-safe)."""

    def __init__(self) -> None:
        # No code header: its Copy links use the app's own ``copy:`` scheme, which means nothing here.
        # The page's profile drops inline styles too: its CSP forbids them, its stylesheet has them.
        self._markdown = MarkdownRenderer(code_header=False, clean=sanitize.for_page)

    def markdown(self, text: str, references: References | None = None) -> str:
        return self._finish(self._markdown.render(text, references))

    def markdown_streaming(self, text: str, references: References | None = None) -> str:
        """A reply that may end mid-block (an open code fence is closed first)."""
        return self._finish(self._markdown.render_streaming(text, references))

    @staticmethod
    def plain(text: str) -> str:
        """User text and notices: shown exactly as typed (the page keeps line breaks)."""
        return html.escape(text)

    def _finish(self, rendered: str) -> str:
        # The renderer keeps every code block for the app's Copy links; here that would grow with
        # every re-render of a streaming code block, so drop them.
        self._markdown.code_snippets.clear()
        return rendered


class StreamingReply:
    """A reply as it streams: finished blocks are rendered once, only the open tail again."""

    def __init__(self, renderer: HtmlRenderer) -> None:
        self._renderer = renderer
        self._splitter = BlockSplitter()
        self._blocks = StreamedMarkdown(renderer.markdown)  # the finished blocks, rendered
        self.html = ""  # the latest rendering

    @property
    def text(self) -> str:
        return self._splitter.text

    def append(self, text: str) -> None:
        self._splitter.append(text)

    def render(self) -> str:
        """The reply so far; costs about the size of the open tail, not of the whole reply."""
        blocks, tail = self._splitter.take()
        self._blocks.add(blocks)
        references = self._blocks.references
        tail_html = self._renderer.markdown_streaming(tail, references) if tail.strip() else ""
        self.html = "".join(self._blocks.html) + tail_html
        return self.html

    def finish(self) -> str:
        """The complete reply, rendered as the app renders it when a reply ends."""
        self._blocks.add(self._splitter.finish())
        self.html = "".join(self._blocks.html)
        return self.html
