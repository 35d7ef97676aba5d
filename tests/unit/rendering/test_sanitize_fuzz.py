"""Property tests: for any markdown, every rendering path emits only allowlisted, inert HTML.

The markdown is built from the syntax hostile replies use: fences with info strings and attribute
lists, links and images with odd or dangerous URLs, raw HTML, brackets, quotes, lists, entities
and unicode. The output is parsed with the standard library's HTML parser (not the sanitizer's),
and each path must finish without an exception (bounded by pytest-timeout; no timed asserts).
"""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.rendering.block_splitter import BlockSplitter
from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.core.rendering.streaming.streamed_markdown import StreamedMarkdown
from desktop_app.core.share.render import HtmlRenderer, StreamingReply
from desktop_app.core.storage.exchange.html_format import export_html
from desktop_app.core.storage.models import Conversation, ConversationWithMessages, Message, Role

# Written out here, not imported from the sanitizer: the test states what the app may emit.
CONTENT_TAGS = {
    *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "span"),
    *("div", "a", "b", "i", "em", "strong", "del", "s", "sup", "sub", "u", "small", "kbd"),
    *("ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "th", "td"),
    "caption",
}
EXPORT_TAGS = CONTENT_TAGS | {"article", "section", "header", "time", "details", "summary"}
# The export's own page around the body.
EXPORT_DOCUMENT_TAGS = EXPORT_TAGS | {"html", "head", "meta", "title", "style", "body"}
ATTRIBUTES = {
    "class",
    "href",
    "title",
    "name",
    "style",
    "border",
    "cellspacing",
    "cellpadding",
    "bgcolor",
    "width",
    "align",
    "valign",
    "colspan",
    "rowspan",
    "start",
    "datetime",
    "rel",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "file:", "data:")
APP_SCHEMES = ("copy:", "tool:", "reasoning:")

URLS = st.sampled_from(
    [
        "https://example.com/a?b=c#d",
        "http://[host]/x",
        "http://[::1]:80/",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "/etc/passwd",
        "/dev/zero",
        "copy:code-1",
        "tool:x",
        "mailto:a@b.example",
        "//evil.example/x",
        "https://exa mple.com/",
        '"><img src=x onerror=alert(1)>',
        "",
    ]
)
HTML = st.sampled_from(
    [
        "<img src=/dev/zero>",
        '<img src="x" onerror="alert(1)">',
        "<script>alert(1)</script>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        '<a href="javascript:alert(1)">x</a>',
        "<style>*{}</style>",
        '<iframe src="https://evil.example"></iframe>',
        '<div onclick="x()">d</div>',
        "<svg onload=alert(1)>",
        "<!-- c -->",
        "<details open ontoggle=alert(1)>",
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        "</code></pre>",
    ]
)
WORDS = st.sampled_from(["word", "x", "café", "👋", "&amp;", "&#x3C;", "&lt;b&gt;", "\\", "`", "|", ":"])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


@st.composite
def fences(draw: st.DrawFn) -> str:
    fence = draw(st.sampled_from(["```", "~~~", "````"]))
    info = draw(
        st.sampled_from(
            [
                "",
                "python",
                "{#x .y}",
                '{#x .y data-a="<img src=x onerror=alert(1)>"}',
                '{.py hl_lines="1" title="<b>t</b>" linenums="1"}',
                'js onclick="alert(1)"',
                '{.lang"><meta http-equiv=refresh>}',
                "{#<img/src=x/onerror=alert(1)>}",
            ]
        )
    )
    indent = draw(st.sampled_from(["", "    ", "> ", "- "]))
    body = draw(st.one_of(HTML, TEXT))
    closed = draw(st.booleans())
    return f"{indent}{fence}{info}\n{indent}{body}\n" + (f"{indent}{fence}\n" if closed else "")


FRAGMENTS = st.one_of(
    fences(),
    st.builds(lambda t, u: f"[{t}]({u})", TEXT, URLS),
    st.builds(lambda t, u: f"![{t}]({u})", TEXT, URLS),
    st.builds(lambda u: f"<{u}>", URLS),
    st.builds(lambda t, u: f"[{t}][r]\n\n[r]: {u}\n", TEXT, URLS),
    st.builds(lambda u: f'[r]: {u} "t"\n', URLS),
    HTML,
    WORDS,
    TEXT,
    st.sampled_from(["[", "]", "(", ")", "> ", "- ", "* ", "1. ", "    ", "**", "_", "#", "---"]),
    st.sampled_from(["| a | b |\n|---|:-:|\n| 1 | 2 |\n", "- [ ] todo\n- [x] done\n", "\n\n", "\n"]),
    st.builds(lambda n: "[" * n, st.integers(0, 300)),
    st.builds(lambda n: "> " * n + "q", st.integers(0, 80)),
    st.builds(lambda n: "\n".join("  " * i + "- i" for i in range(n)), st.integers(0, 80)),
)
MARKDOWN = st.lists(FRAGMENTS, max_size=14).map("".join)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert(html: str, tags: set[str], app_links: bool) -> None:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in tags, (tag, html)
        for name, value in attrs:
            if tag in ("meta", "html") and tags is EXPORT_DOCUMENT_TAGS:
                continue  # the export's own head (checked by its own test)
            assert name in ATTRIBUTES, (tag, name, html)
            url = "".join((value or "").split()).lower()
            if name == "href":
                assert not url.startswith(BAD_SCHEMES), (url, html)
                assert "://" in url or url.startswith(("mailto:", *APP_SCHEMES)), (url, html)
                if not app_links:
                    assert not url.startswith(APP_SCHEMES), (url, html)
            if name == "style":
                assert "url(" not in url and "expression" not in url, (value, html)


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(MARKDOWN)
def test_the_view_renderer_emits_only_allowlisted_html(text: str) -> None:
    assert_inert(MarkdownRenderer().render(text), CONTENT_TAGS, app_links=True)


@FUZZ
@given(MARKDOWN, st.lists(st.integers(1, 40), max_size=12))
def test_the_streaming_render_emits_only_allowlisted_html(text: str, cuts: list[int]) -> None:
    renderer = MarkdownRenderer()
    splitter = BlockSplitter()
    streamed = StreamedMarkdown(renderer.render)
    position = 0
    for cut in cuts:
        splitter.append(text[position : position + cut])
        position += cut
        blocks, tail = splitter.take()
        streamed.add(blocks)
        assert_inert(renderer.render_streaming(tail, streamed.references), CONTENT_TAGS, app_links=True)
    splitter.append(text[position:])
    streamed.add(splitter.finish())
    assert_inert("".join(streamed.html), CONTENT_TAGS, app_links=True)


@FUZZ
@given(MARKDOWN, MARKDOWN, TEXT)
def test_the_html_export_emits_only_allowlisted_html(reply: str, prompt: str, title: str) -> None:
    conversation = Conversation(id="c", title=title + "<img src=x>", created_at=0.0, updated_at=0.0)
    messages = [
        Message("u", "c", 1, Role.USER, prompt, 0.0, 0.0),
        Message("a", "c", 2, Role.ASSISTANT, reply, 0.0, 0.0, reasoning=prompt, model="<b>m</b>"),
        Message("n", "c", 3, Role.NOTICE, reply, 0.0, 0.0, error=prompt),
    ]
    page = export_html([ConversationWithMessages(conversation, messages)])
    body = page[page.index("<body>") :]
    assert_inert(body, EXPORT_DOCUMENT_TAGS, app_links=False)
    head = page[: page.index("</head>")]
    assert head.count("<meta") == 4 and "<script" not in head  # charset, CSP, referrer, viewport


@FUZZ
@given(MARKDOWN, st.lists(st.integers(1, 40), max_size=12))
def test_the_share_page_emits_only_allowlisted_html(text: str, cuts: list[int]) -> None:
    renderer = HtmlRenderer()
    assert_inert(renderer.markdown(text), EXPORT_TAGS, app_links=False)
    reply = StreamingReply(renderer)
    position = 0
    for cut in cuts:
        reply.append(text[position : position + cut])
        position += cut
        assert_inert(reply.render(), EXPORT_TAGS, app_links=False)
    reply.append(text[position:])
    assert_inert(reply.finish(), EXPORT_TAGS, app_links=False)
