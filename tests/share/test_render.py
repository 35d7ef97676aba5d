"""The page's HTML: untrusted text stays text, and a streamed reply ends as the app renders it."""

from __future__ import annotations

from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.core.share.render import HtmlRenderer, StreamingReply

REPLY = (
    "# Plan\n\nSome **bold** and `code`.\n\n- one\n- two\n  - nested\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\ndef f():\n    return '<b>'\n```\n\n"
    "> quoted <script>alert(1)</script>\n\nThe end.\n"
)


def stream(text: str, size: int = 7) -> StreamingReply:
    reply = StreamingReply(HtmlRenderer())
    for start in range(0, len(text), size):
        reply.append(text[start : start + size])
        reply.render()
    return reply


def test_a_streamed_reply_ends_as_the_whole_text_renders_block_by_block() -> None:
    reply = stream(REPLY)
    final = reply.finish()
    assert reply.text == REPLY
    assert "<h1>Plan</h1>" in final and "<strong>bold</strong>" in final and "<li>nested</li>" in final
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in final and "<script" not in final
    assert "<table" in final and "style=" not in final  # the CSP forbids inline styles: none are sent
    assert '<pre class="codehilite"><code>' in final and "'&lt;b&gt;'" in final


def test_the_open_tail_renders_while_streaming_with_an_open_fence_closed() -> None:
    reply = StreamingReply(HtmlRenderer())
    reply.append("Intro.\n\n```python\nx = 1\n")
    html = reply.render()
    assert html.startswith("<p>Intro.</p>")
    assert '<pre class="codehilite"><code>' in html


def test_reference_links_resolve_in_the_final_rendering() -> None:
    reply = stream("See [the docs][d].\n\nMore text.\n\n[d]: https://example.com/docs\n")
    assert '<a href="https://example.com/docs"' in reply.finish()


def test_reference_links_resolve_while_the_reply_streams() -> None:
    reply = stream("See [the docs][d].\n\n[d]: https://example.com/docs\n\nMore text.\n\nStill going")
    html = reply.render()
    assert '<a href="https://example.com/docs"' in html and "[the docs][d]" not in html


def test_unsafe_links_are_neutralised_and_plain_text_escaped() -> None:
    renderer = HtmlRenderer()
    assert "javascript:" not in renderer.markdown("[x](javascript:alert(1))")
    assert (
        renderer.plain('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    )


def test_rendering_keeps_no_copy_snippets_however_long_a_code_block_streams() -> None:
    reply = StreamingReply(HtmlRenderer())
    reply.append("```\n")
    for number in range(200):
        reply.append(f"line {number}\n")
        reply.render()
    markdown = reply._renderer._markdown  # the app's renderer keeps one snippet per rendering
    assert isinstance(markdown, MarkdownRenderer) and markdown.code_snippets == {}
