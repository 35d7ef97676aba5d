"""The one sanitizer and the rendering budget: hostile markdown never becomes markup or a stall."""

from __future__ import annotations

import time

import pytest

from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.markdown_render import MarkdownRenderer, fence_line_as_data, is_safe_url
from desktop_app.core.rendering.render_budget import RenderBudget, too_deep
from desktop_app.core.share.render import HtmlRenderer

FENCE_ATTRIBUTES = '```{#x .y data-a="<img src=x onerror=alert(1)>"}\nhi\n```'


@pytest.mark.parametrize(
    "source",
    [
        FENCE_ATTRIBUTES,
        '```python {#x .y onclick="alert(1)"}\nhi\n```',
        '```{.python hl_lines="1" title="<b>t</b>" linenums="1"}\nhi\n```',
        '- item\n\n    ```{#id .js style="color:red"}\n    x\n    ```',
        "> ```{#q .py}\n> print(1)\n> ```",
    ],
)
def test_fence_attributes_are_data(source: str) -> None:
    html = MarkdownRenderer().render(source)
    assert "id=" not in html and "onclick" not in html and "onerror" not in html
    assert "data-a" not in html and "<img" not in html and 'title="' not in html
    assert '<table class="codeblock"' in html  # the app's wrapper, not superfences' bare <pre>


def test_a_fence_keeps_its_language() -> None:
    assert fence_line_as_data("```{.python hl_lines='1'}", "```") == "```python"
    assert fence_line_as_data("```py title='x'", "```") == "```py"
    assert fence_line_as_data("  ~~~{#only-an-id}", "  ~~~") == "  ~~~"
    html = MarkdownRenderer().render('```{#x .python title="t"}\ndef f(): pass\n```')
    assert ">python</span>" in html and '<span class="k">def</span>' in html


@pytest.mark.parametrize("url", ["http://[host]/x", "http://exa mple.com/", "https://[::1/", "javascript:x"])
def test_a_url_that_does_not_parse_is_text(url: str) -> None:
    assert is_safe_url(url) is False
    for source in (f"[a]({url})", f"<{url}>", f"[a][r]\n\n[r]: {url}", f"![i]({url})"):
        html = MarkdownRenderer().render(source)
        assert "href" not in html
        HtmlRenderer().markdown(source)  # the share page neither raises


def test_view_profile_keeps_the_apps_links_and_drops_everything_live() -> None:
    dirty = (
        '<a href="copy:code-1">Copy</a><a href="tool:x" name="tool-x">t</a><a href="reasoning:k">r</a>'
        '<img src="/dev/zero"><meta http-equiv="refresh" content="0;url=https://evil.example">'
        '<code id="x" class="language-y" onclick="z()">c</code><script>alert(1)</script>'
        '<a href="/etc/passwd">p</a><a href="javascript:alert(1)">j</a><a href="data:text/html,x">d</a>'
        '<span style="color:red; background-image:url(file:///etc/passwd)">s</span>'
        '<link rel="stylesheet" href="https://evil.example/x.css"><iframe src="https://e.x"></iframe>'
    )
    clean = sanitize.for_view(dirty)
    for kept in ('href="copy:code-1"', 'href="tool:x"', 'name="tool-x"', 'href="reasoning:k"'):
        assert kept in clean
    for gone in ("<img", "<meta", "id=", "onclick", "<script", "alert(1)", "passwd", "javascript:"):
        assert gone not in clean
    for gone in ("data:", "url(", "<link", "<iframe", "refresh"):
        assert gone not in clean
    assert 'style="color:red"' in clean


@pytest.mark.parametrize("clean", [sanitize.for_export, sanitize.for_page])
def test_browser_profiles_drop_the_apps_links(clean: object) -> None:
    assert callable(clean)
    html = clean('<a href="copy:code-1">Copy</a><a href="tool:x">t</a><a href="https://ok.example/">o</a>')
    assert "copy:" not in html and "tool:" not in html
    assert 'href="https://ok.example/"' in html and 'rel="noopener noreferrer"' in html


def test_page_profile_has_no_inline_styles() -> None:
    html = HtmlRenderer().markdown("| a | b |\n|:-|-:|\n| 1 | 2 |")
    assert "style=" not in html and "<table" in html


def test_tooltips_show_model_text_literally() -> None:
    tip = sanitize.rich_text_tooltip('<img src="/dev/zero">\n<b>bold</b> & "q"')
    assert tip == '<p>&lt;img src="/dev/zero"&gt;<br>&lt;b&gt;bold&lt;/b&gt; &amp; "q"</p>'
    assert sanitize.rich_text_tooltip("") == ""


@pytest.mark.parametrize(
    "source",
    [
        "[" * 5000,
        "[x][" * 3000,
        "[a](" * 2000,
        "![" * 3000,
        "> " * 500 + "x",
        "\n".join("  " * i + "- x" for i in range(200)),
    ],
)
def test_pathological_nesting_is_plain_text_and_quick(source: str) -> None:
    assert too_deep(source)
    started = time.perf_counter()
    html = MarkdownRenderer().render(f"Intro *ok*.\n\n{source}\n\nOutro **ok**.")
    elapsed = time.perf_counter() - started
    assert "<em>ok</em>" in html and "<strong>ok</strong>" in html  # the other blocks still render
    assert elapsed < 5  # a loose bound (the unguarded renderer takes seconds on most of these)


def test_ordinary_text_is_not_too_deep() -> None:
    text = "A [link](https://a.example) (with (some) parens) and [x][y].\n\n" * 200
    assert not too_deep(text)
    assert not too_deep("```lisp\n" + "(" * 100 + ")" * 100 + "\n```\n" + "[" * 10)
    assert too_deep("para " + "(" * 80)
    assert not too_deep(("(" * 40 + "\n\n") * 10)  # nesting ends with the paragraph


def test_a_block_that_was_too_slow_is_plain_text_from_then_on() -> None:
    now = [0.0]
    renderer = MarkdownRenderer()
    renderer.budget = RenderBudget(clock=lambda: now[0])
    calls = [0]
    convert = renderer._md.convert

    def slow_convert(text: str) -> str:
        calls[0] += 1
        now[0] += 10.0  # every parse "takes" ten seconds
        return convert(text)

    renderer._md.convert = slow_convert  # type: ignore[method-assign]
    first = renderer.render("some **bold** text")
    assert "<strong>bold</strong>" in first and calls[0] == 1
    again = renderer.render("some **bold** text")
    assert again == "<p>some **bold** text</p>" and calls[0] == 1  # not parsed again
    assert "<strong>" in renderer.render("other **text**")  # other text still renders
    # A streaming tail that was slow stays plain while it grows.
    renderer.render_streaming("tail *a*")
    parsed = calls[0]
    assert renderer.render_streaming("tail *a* and more") == "<p>tail *a* and more</p>"
    assert calls[0] == parsed


def test_a_links_tooltip_never_looks_like_html() -> None:
    html = MarkdownRenderer().render("[y](https://a.example/?q=<img src=/dev/zero>)")
    assert 'title="https://a.example/?q=%3Cimg%20src=/dev/zero%3E"' in html


def test_deeply_indented_code_in_a_fence_is_not_too_deep() -> None:
    yaml = "```yaml\n" + "".join(" " * (4 * i) + "- level\n" for i in range(40)) + "```\n"
    assert not too_deep(yaml)
    assert '<table class="codeblock"' in MarkdownRenderer().render(yaml)
    lines = yaml.split("\n", 1)[1].rsplit("```", 1)[0]
    assert too_deep(lines)  # the same lines outside a fence are a 40-deep list
