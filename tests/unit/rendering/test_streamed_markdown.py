"""A streaming reply's blocks share their link definitions: a link works as soon as both exist."""

from __future__ import annotations

from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.core.rendering.streaming.streamed_markdown import StreamedMarkdown

URL = 'href="https://example.com/docs"'


def _streamed() -> StreamedMarkdown:
    return StreamedMarkdown(MarkdownRenderer().render)


def test_a_definition_after_its_use_redoes_the_blocks_that_use_it() -> None:
    streamed = _streamed()
    assert streamed.add(["See [the docs][d].\n", "Unrelated text.\n"]) is False
    assert URL not in streamed.html[0] and "[the docs][d]" in streamed.html[0]  # not yet defined
    unrelated = streamed.html[1]
    assert streamed.add(["[d]: https://example.com/docs\n"]) is True  # earlier HTML changed
    assert URL in streamed.html[0]
    assert streamed.html[1] is unrelated  # a block not using it is left alone


def test_a_definition_before_its_use_needs_no_redo() -> None:
    streamed = _streamed()
    assert streamed.add(["[D]: https://example.com/docs\n"]) is False
    assert streamed.add(["Shortcut [d] and full [text][D].\n"]) is False
    assert streamed.html[1].count(URL) == 2  # labels match without regard to case


def test_use_and_definition_in_one_batch_resolve_without_touching_older_blocks() -> None:
    streamed = _streamed()
    streamed.add(["Intro.\n"])
    assert streamed.add(["See [x].\n", "[x]: https://example.com/docs\n"]) is False
    assert URL in streamed.html[1]


def test_an_unused_definition_changes_nothing_earlier() -> None:
    streamed = _streamed()
    streamed.add(["No links here, only [brackets].\n"])
    assert streamed.add(["[other]: https://example.com/docs\n"]) is False


def test_definitions_stay_safe() -> None:
    streamed = _streamed()
    streamed.add(["Click [me][evil].\n", "[evil]: javascript:alert(1)\n"])
    assert "javascript:" not in "".join(streamed.html)


def test_the_open_tail_sees_definitions_but_cannot_add_its_own() -> None:
    renderer = MarkdownRenderer()
    streamed = StreamedMarkdown(renderer.render)
    streamed.add(["[d]: https://example.com/docs\n"])
    assert URL in renderer.render_streaming("Now see [d].", streamed.references)
    renderer.render_streaming("[half]: https://example.com/par", streamed.references)
    assert "half" not in streamed.references  # a definition still streaming is not kept


def test_many_late_definitions_cost_linear_work() -> None:
    """Each block is rendered once, plus once when a definition it uses comes late, and each
    render is handed only the definitions the block brackets (not every one so far)."""
    renderer = MarkdownRenderer()
    rendered: list[tuple[str, int]] = []

    def render(text: str, references: dict[str, tuple[str, str]]) -> str:
        rendered.append((text, len(references)))
        return renderer.render(text, references)

    streamed = StreamedMarkdown(render)
    count = 300
    streamed.add([f"Uses [text {i}][r{i}].\n" for i in range(count)])
    changed = []
    for i in range(count):  # one definition per batch, as they stream
        changed.append(streamed.add([f"[r{i}]: https://example.com/{i}\n"]))
        assert streamed.changed == [i]
    assert all(changed)
    assert len(rendered) == 3 * count  # the uses, the definitions, each use once more
    assert max(given for _text, given in rendered) <= 1
    assert all(f'href="https://example.com/{i}"' in streamed.html[i] for i in range(count))


def test_labels_match_across_case_and_spacing() -> None:
    streamed = _streamed()
    streamed.add(["See [The\n  Docs].\n"])
    assert streamed.add(["[the docs]: https://example.com/docs\n"]) is True
    assert URL in streamed.html[0]
