"""MarkdownRenderer: untrusted model output becomes safe, Qt-friendly HTML."""

from __future__ import annotations

import re
import time

import pytest

from desktop_app.core.rendering.markdown_render import (
    MarkdownRenderer,
    close_open_fence,
    is_safe_url,
    normalize_llm_lists,
    open_fence,
    pygments_css,
)


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


def tags(html: str) -> list[str]:
    return re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", html)


# -- raw HTML and scripts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Hello <script src='x.js'></script> world",
        "<div>\n<script>alert(1)</script>\n</div>",
        "<SCRIPT>alert(1)</SCRIPT>",
        "- item <script>x()</script>",
        "| a |\n|---|\n| <script>x()</script> |",
        "> <script>alert(1)</script>",
    ],
)
def test_script_tags_are_shown_as_text(renderer: MarkdownRenderer, text: str) -> None:
    html = renderer.render(text)
    assert "<script" not in html.lower()
    assert "&lt;script" in html.lower()


def test_raw_html_is_escaped_not_interpreted(renderer: MarkdownRenderer) -> None:
    html = renderer.render('<b>bold?</b> <a href="javascript:x">y</a> <iframe src="x">')
    assert "<b>" not in html
    assert "<iframe" not in html
    assert "<a " not in html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert "&lt;iframe" in html


def test_html_comment_and_img_tag_are_text(renderer: MarkdownRenderer) -> None:
    html = renderer.render("a <!-- hidden --> b <img src=x onerror=alert(1)>")
    assert "&lt;!-- hidden --&gt;" in html
    assert "<img" not in html
    assert "&lt;img" in html


def test_html_inside_inline_code_is_escaped(renderer: MarkdownRenderer) -> None:
    assert renderer.render("`<script>`") == "<p><code>&lt;script&gt;</code></p>"


# -- images and links -----------------------------------------------------------------------


def test_remote_image_becomes_a_link(renderer: MarkdownRenderer) -> None:
    html = renderer.render("See ![a diagram](https://example.com/d.png) here")
    assert "<img" not in html
    assert '<a href="https://example.com/d.png"' in html
    assert "[a diagram]</a>" in html
    assert html.startswith("<p>See ") and html.endswith(" here</p>")  # the tail text survives


@pytest.mark.parametrize(
    "src", ["file:///etc/passwd", "/etc/passwd", "javascript:alert(1)", "data:image/png;base64,AA"]
)
def test_local_or_unsafe_image_becomes_plain_text(renderer: MarkdownRenderer, src: str) -> None:
    html = renderer.render(f"![secret]({src})")
    assert "<img" not in html
    assert "href" not in html
    assert "<span>[secret]</span>" in html


def test_image_without_alt_text_is_labelled(renderer: MarkdownRenderer) -> None:
    html = renderer.render("![](http://example.com/i.png)")
    assert ">[image]</a>" in html


def test_image_inside_a_link_is_handled(renderer: MarkdownRenderer) -> None:
    html = renderer.render("[![logo](https://example.com/l.png)](javascript:alert(1))")
    assert "<img" not in html
    assert "javascript" not in html


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
        "vbscript:msgbox",
        "ftp://example.com/f",
        "relative/path",
    ],
)
def test_unsafe_links_lose_their_href(renderer: MarkdownRenderer, href: str) -> None:
    html = renderer.render(f"[click me]({href})")
    assert "href" not in html
    assert "<a" not in html
    assert "<span>click me</span>" in html


def test_reference_style_unsafe_link_loses_its_href(renderer: MarkdownRenderer) -> None:
    html = renderer.render("[x][r]\n\n[r]: javascript:alert(1)")
    assert "href" not in html
    assert "<span>x</span>" in html


@pytest.mark.parametrize("href", ["http://example.com", "https://example.com/a?b=c", "mailto:me@example.com"])
def test_safe_links_are_kept_with_a_title(renderer: MarkdownRenderer, href: str) -> None:
    html = renderer.render(f"[site]({href})")
    escaped = href.replace("&", "&amp;")
    assert f'<a href="{escaped}" title="{escaped}">site</a>' in html


def test_autolink_is_kept(renderer: MarkdownRenderer) -> None:
    html = renderer.render("<https://example.com>")
    assert '<a href="https://example.com"' in html


def test_email_autolink_stays_clickable(renderer: MarkdownRenderer) -> None:
    html = renderer.render("<me@example.com>")
    assert "<a " in html
    assert "href" in html


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://x", True),
        ("HTTP://x", True),
        ("mailto:a@b", True),
        ("  https://x  ", True),
        ("javascript:x", False),
        ("java\nscript:x", False),
        ("file:///x", False),
        ("", False),
        ("#anchor", False),
    ],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


# -- code -----------------------------------------------------------------------------------


def test_fenced_code_is_highlighted_and_wrapped_in_a_table(renderer: MarkdownRenderer) -> None:
    html = renderer.render("```python\ndef f(x):\n    return x + 1\n```")
    assert html.startswith('<table class="codeblock"')
    assert 'bgcolor="#f3f4f6"' in html
    assert '<pre class="codehilite"' in html
    assert '<span class="k">def</span>' in html  # keyword
    assert '<span class="nf">f</span>' in html  # function name
    assert '<div class="codehilite">' not in html  # the div was replaced by the table
    assert html.endswith("</code></pre></td></tr></tbody></table>")
    assert "\n</code>" not in html  # no empty last line inside the box


def test_code_background_is_configurable() -> None:
    html = MarkdownRenderer(code_background="#000000").render("```\nx\n```")
    assert 'bgcolor="#000000"' in html


def test_code_without_language_is_not_guessed(renderer: MarkdownRenderer) -> None:
    html = renderer.render("```\nfor x in y: pass\n```")
    assert 'class="k"' not in html
    assert "for x in y: pass" in html


def test_html_inside_code_is_escaped(renderer: MarkdownRenderer) -> None:
    html = renderer.render("```html\n<script>alert(1)</script>\n```")
    assert "<script" not in html
    assert "&lt;" in html
    assert "<table" in html


def test_several_code_blocks_each_get_a_table(renderer: MarkdownRenderer) -> None:
    html = renderer.render("```python\na = 1\n```\n\ntext\n\n```bash\nls -la\n```\n")
    assert html.count('<table class="codeblock"') == 2
    assert "<p>text</p>" in html


def test_pygments_css_targets_the_codehilite_class() -> None:
    lines = pygments_css().splitlines()
    assert any(line.startswith(".codehilite .k {") for line in lines)
    # No block background: the code table's bgcolor paints it.
    assert not any(line.startswith(".codehilite {") for line in lines)


# -- open fences while streaming ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fence"),
    [
        ("no code here", None),
        ("```python\nx = 1", "```"),
        ("```python\nx = 1\n```", None),
        ("```\na\n```\n\n~~~~\nb", "~~~~"),
        ("~~~\n```\nstill open", "~~~"),
        ("````\n```\n", "````"),  # a shorter fence does not close a longer one
        ("```\ncode\n``` not a close", "```"),
        ("   ```\nan indented fence (in a list item) is a fence to superfences", "   ```"),
        ("    ```\nnested deeper in a list, still a fence", "    ```"),
    ],
)
def test_open_fence(text: str, fence: str | None) -> None:
    assert open_fence(text) == fence


def test_close_open_fence() -> None:
    assert close_open_fence("```py\nx = 1") == "```py\nx = 1\n```"
    assert close_open_fence("```py\nx = 1\n") == "```py\nx = 1\n```"
    assert close_open_fence("~~~~\nx") == "~~~~\nx\n~~~~"
    assert close_open_fence("plain text") == "plain text"
    closed = "```\nx\n```"
    assert close_open_fence(closed) == closed


def test_render_streaming_shows_a_half_streamed_block_as_code(renderer: MarkdownRenderer) -> None:
    partial = "Here:\n\n```python\ndef f():\n    return"
    assert "```" in renderer.render(partial)  # plain rendering shows the fence as text
    html = renderer.render_streaming(partial)
    assert "```" not in html
    assert '<table class="codeblock"' in html
    assert '<span class="k">def</span>' in html


def test_render_streaming_agrees_with_the_renderer_on_a_longer_closing_fence(
    renderer: MarkdownRenderer,
) -> None:
    # Python-Markdown renders "```\ncode\n````\nmore\n```" as one code block, so while "more" is
    # streaming the block is still open.
    assert "<table" in renderer.render("```\ncode\n````\nmore\n```")
    html = renderer.render_streaming("```\ncode\n````\nmore")
    assert "<table" in html


# -- LLM list repair ------------------------------------------------------------------------


def test_list_right_after_a_paragraph_becomes_a_list(renderer: MarkdownRenderer) -> None:
    html = renderer.render("Steps:\n- a\n- b")
    assert html == "<p>Steps:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>"


def test_ordered_list_right_after_a_paragraph(renderer: MarkdownRenderer) -> None:
    html = renderer.render("Do this:\n1. one\n2. two")
    assert "<p>Do this:</p>" in html
    assert "<ol>\n<li>one</li>\n<li>two</li>\n</ol>" in html


def test_two_space_nesting_becomes_a_nested_list(renderer: MarkdownRenderer) -> None:
    html = renderer.render("- a\n  - b\n  - c\n- d")
    assert html == "<ul>\n<li>a<ul>\n<li>b</li>\n<li>c</li>\n</ul>\n</li>\n<li>d</li>\n</ul>"


def test_four_space_nesting_still_works(renderer: MarkdownRenderer) -> None:
    html = renderer.render("- a\n    - b\n- c")
    assert html == "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ul>"


def test_three_levels_of_two_space_nesting(renderer: MarkdownRenderer) -> None:
    html = renderer.render("- a\n  - b\n    - c\n- d")
    assert html.count("<ul>") == 3
    assert re.search(r"<li>b<ul>\s*<li>c</li>", html)


def test_ordered_list_with_three_space_nesting(renderer: MarkdownRenderer) -> None:
    html = renderer.render("1. first\n   - detail\n2. second")
    assert re.search(r"<ol>\s*<li>first<ul>\s*<li>detail</li>\s*</ul>\s*</li>", html)
    assert "<li>second</li>" in html


def test_normalize_llm_lists_lines() -> None:
    assert normalize_llm_lists(["Steps:", "- a", "  - b", "- c"]) == [
        "Steps:",
        "",
        "- a",
        "    - b",
        "- c",
    ]
    # An existing blank line is not doubled, 4-space nesting is kept as is.
    assert normalize_llm_lists(["Steps:", "", "- a", "    - b"]) == ["Steps:", "", "- a", "    - b"]


def test_continuation_lines_are_indented_under_their_item() -> None:
    assert normalize_llm_lists(["- a", "  more about a", "- b"]) == [
        "- a",
        "    more about a",
        "- b",
    ]


def test_lists_inside_fenced_code_are_untouched(renderer: MarkdownRenderer) -> None:
    lines = ["```", "Steps:", "- a", "  - b", "```"]
    assert normalize_llm_lists(lines) == lines
    html = renderer.render("\n".join(lines))
    assert "<ul>" not in html
    assert "Steps:\n- a\n  - b</code>" in html


def test_lists_inside_tilde_fence_with_backtick_lines_are_untouched() -> None:
    lines = ["~~~", "```", "Steps:", "- a", "  - b", "~~~"]
    assert normalize_llm_lists(lines) == lines


def test_lists_inside_a_four_backtick_fence_are_untouched() -> None:
    lines = ["````markdown", "```", "Steps:", "- a", "  - b", "```", "````"]
    assert normalize_llm_lists(lines) == lines


def test_indented_code_block_with_list_markers_stays_code(renderer: MarkdownRenderer) -> None:
    html = renderer.render("Config:\n\n    items:\n    - a\n    - b\n\nEnd\n")
    assert "<ul>" not in html
    assert "items:\n- a\n- b" in html


# -- broken markdown ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "**unclosed bold",
        "*unclosed emphasis and **more",
        "```python\nunclosed fence\n",
        "stray ` backtick and `` double ``` triple",
        "`" * 1001,
        "[" * 200 + "x" + "]" * 200,
        "[a](" * 200 + ")" * 200,
        "(" * 500 + "[link](http://x)" + ")" * 500,
        ">" * 300 + " deep quote",
        "".join("  " * i + "- x\n" for i in range(60)),
        "| a | b |\n|---|\n| only one |",
        "# " * 100,
        "\x00\x01\x7f control characters",
        "\ufeff\u202e right-to-left override",
        "[link](http://x.com/<script>)",
        "![img](<javascript:alert(1)>)",
        "",
    ],
)
def test_broken_markdown_renders_without_errors(renderer: MarkdownRenderer, text: str) -> None:
    html = renderer.render(text)
    html_streaming = renderer.render_streaming(text)
    for out in (html, html_streaming):
        assert isinstance(out, str)
        assert "<script" not in out
        assert "<img" not in out


def test_unclosed_bold_is_shown_literally(renderer: MarkdownRenderer) -> None:
    assert renderer.render("**unclosed") == "<p>**unclosed</p>"


def test_large_input_renders(renderer: MarkdownRenderer) -> None:
    piece = (
        "## Section\n\nSome **bold** and `code` with a [link](https://example.com).\n\n"
        "- item one\n  - nested\n- item two\n\n"
        "```python\nfor i in range(10):\n    print(i)\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>x()</script> **unclosed `tick [\n\n"
    )
    text = piece * (200_000 // len(piece) + 1)
    assert len(text) >= 200_000
    start = time.perf_counter()
    html = renderer.render(text)
    elapsed = time.perf_counter() - start
    assert html.count('<table class="codeblock"') == text.count("```python")
    assert "<script" not in html
    assert elapsed < 30  # generous: this is about not hanging, not speed


def test_renderer_is_reusable_between_documents(renderer: MarkdownRenderer) -> None:
    """``reset()`` between conversions: a reference defined in one reply is not in the next."""
    first = renderer.render("[x][r]\n\n[r]: https://example.com")
    assert 'href="https://example.com"' in first
    second = renderer.render("[x][r]")
    assert "href" not in second


# -- tables ---------------------------------------------------------------------------------


def test_tables_render_with_qt_border_attributes(renderer: MarkdownRenderer) -> None:
    html = renderer.render("| Name | Value |\n|:---|---:|\n| a | 1 |\n| b | 2 |")
    assert re.search(r'<table border="1" cellpadding="5" cellspacing="0" style="[^"]+">', html)
    assert html.count("<tr>") == 3
    assert "<th" in html
    assert re.search(r"<td[^>]*>a</td>", html)
    assert re.search(r"<td[^>]*>2</td>", html)


def test_table_cells_keep_inline_formatting(renderer: MarkdownRenderer) -> None:
    html = renderer.render("| a | b |\n|---|---|\n| **x** | `y` |")
    assert "<strong>x</strong>" in html
    assert "<code>y</code>" in html


def test_only_expected_tags_appear(renderer: MarkdownRenderer) -> None:
    text = (
        "# H\n\ntext *em* **strong** `code` [l](https://x)\n\n> quote\n\n1. a\n2. b\n\n---\n\n"
        "| a |\n|---|\n| 1 |\n\n```python\nx = 1\n```\n"
    )
    allowed = {
        "h1", "p", "em", "strong", "code", "a", "blockquote", "ol", "li", "hr", "table",
        "thead", "tbody", "tr", "th", "td", "pre", "span",
    }  # fmt: skip
    assert set(tags(renderer.render(text))) <= allowed


def test_task_lists_render_as_ballot_boxes() -> None:
    from desktop_app.core.rendering.markdown_render import MarkdownRenderer

    html = MarkdownRenderer().render("Plan:\n- [ ] write tests\n- [x] ship it\n- a [x] in the middle")
    assert "<li>☐ write tests</li>" in html
    assert "<li>☑ ship it</li>" in html
    assert "<li>a [x] in the middle</li>" in html


def test_llm_fence_and_table_forms() -> None:
    from desktop_app.core.rendering.markdown_render import MarkdownRenderer

    render = MarkdownRenderer().render
    in_list = render("1. Install:\n   ```bash\n   pip install x\n   ```\n2. Run it")
    assert in_list.count("<li>") == 2 and ">bash<" in in_list and "install" in in_list
    touching = render("Run this:\n```python\nprint(1)\n```\nThen done.")
    assert "<p>Run this:</p>" in touching and "<p>Then done.</p>" in touching and ">python<" in touching
    table = render("Here is a comparison:\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<p>Here is a comparison:</p>" in table and "<th>a</th>" in table


def test_quoted_lists_are_repaired_and_quoted_code_is_left_alone() -> None:
    from desktop_app.core.rendering.markdown_render import MarkdownRenderer

    renderer = MarkdownRenderer()
    html = renderer.render("> Note:\n> - a\n> - b\n>\n> ```yaml\n> Steps:\n> - keep\n>   - as is\n> ```")
    assert "<p>Note:</p>" in html and html.count("<li>") == 2
    assert list(renderer.code_snippets.values()) == ["Steps:\n- keep\n  - as is"]


def test_escaped_pipe_in_table_code_is_a_pipe(renderer: MarkdownRenderer) -> None:
    html_out = renderer.render("| op | e.g. |\n|---|---|\n| `\\|\\|` | `a \\|\\| b` |\n")
    assert "<code>||</code>" in html_out
    assert "<code>a || b</code>" in html_out
    # Outside a table a backslash in code is literal, as in CommonMark.
    assert "<code>a \\| b</code>" in renderer.render("`a \\| b`")


def test_outer_item_after_a_spaced_sub_list_starts_a_new_item(renderer: MarkdownRenderer) -> None:
    text = "1. Front:\n\n   - React\n   - Vite\n2. Back:\n\n   - FastAPI\n"
    html_out = renderer.render(text)
    assert html_out.count("<ul>") == 2
    assert html_out.count("<li>") == 5
    assert "Vite\n2." not in html_out and "Vite 2." not in html_out


def test_tight_nested_list_stays_tight(renderer: MarkdownRenderer) -> None:
    html_out = renderer.render("- a\n  - b\n- c\n")
    assert "<p>" not in html_out
    assert html_out.count("<li>") == 3
