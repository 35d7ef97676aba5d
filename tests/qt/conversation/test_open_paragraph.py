"""A long paragraph that streams grows in place: a tick whose new text holds no markdown mark and
no line break adds it as plain text instead of rendering the whole paragraph again, its laid-out
lines frozen, and the document always shows what a whole render of the text so far shows: the
same lines, with the same text, in the same places."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.view.open_paragraph import OpenParagraph, inert
from tests.qt.conversation.streaming_helpers import chunks, reply_of

WORDS = " ".join(f"word{i}" for i in range(600))  # about 5 KB, one paragraph


def untimed(view: ChatView) -> None:
    """No render counts as too slow (a loaded machine would make a tail plain text in one view and
    not in the other: the comparison is of what growing shows, not of the machine's speed)."""
    reply_of(view)._renderer.budget.measure = lambda *args, **kwargs: None  # type: ignore[method-assign]


Line = tuple[int, int, str]


def lines_of(document: QTextDocument) -> list[Line]:
    """Every line the document shows: where it starts (x, y, whole pixels) and its text."""
    lines: list[Line] = []
    layout = document.documentLayout()
    block = document.begin()
    while block.isValid():
        top = layout.blockBoundingRect(block).top()
        text_layout = block.layout()
        for index in range(text_layout.lineCount()):
            line = text_layout.lineAt(index)
            text = block.text()[line.textStart() : line.textStart() + line.textLength()]
            lines.append((round(line.naturalTextRect().x()), round(top + line.y()), text))
        block = block.next()
    return lines


def whole_render(view: ChatView, text: str) -> list[Line]:
    """The lines the reply's document shows when ``text`` is rendered whole as the open tail."""
    return whole_render_at(reply_of(view).document.textWidth(), text)


def whole_render_at(width: float, text: str) -> list[Line]:
    reference = ChatView()
    reference.begin_assistant()
    untimed(reference)
    reply_of(reference).document.fit(width)
    reference.append_delta(text)
    reference._render_tick()
    lines = lines_of(reply_of(reference).document)
    reference.deleteLater()
    return lines


def shown(view: ChatView) -> list[Line]:
    return lines_of(reply_of(view).document)


def streamed_ticks(qtbot: QtBot, text: str, size: int) -> Iterator[tuple[ChatView, str, list[str]]]:
    """Stream ``text`` in chunks of ``size``, one render tick each; yields after each tick the
    view, the text so far, and the markdown the renderer was asked for on that tick."""
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    untimed(view)
    renderer = reply_of(view)._renderer
    real = renderer.render_streaming
    asked: list[str] = []
    renderer.render_streaming = lambda tail, refs=None: asked.append(tail) or real(tail, refs)  # type: ignore[method-assign]
    streamed = ""
    for chunk in chunks(text, size):
        streamed += chunk
        asked.clear()
        view.append_delta(chunk)
        view._render_tick()
        yield view, streamed, list(asked)


@pytest.mark.parametrize("size", [1, 9, 120])
def test_a_long_paragraph_grows_word_by_word_and_shows_what_a_render_shows(qtbot: QtBot, size: int) -> None:
    grown = 0
    for view, streamed, asked in streamed_ticks(qtbot, "Intro **bold** then " + WORDS, size):
        if isinstance(reply_of(view)._growing, OpenParagraph) and not asked:
            grown += 1  # a tick that rendered no markdown at all
        if len(streamed) % 7 == 0 or len(streamed) > len(WORDS):
            assert shown(view) == whole_render(view, streamed)
    assert grown >= (len(WORDS) - 1500) // size // 2  # most ticks past 1,500 chars only added text
    document = reply_of(view).document
    assert document.blockCount() > 4  # its lines were frozen in parts (the author line is one block)
    assert [text for text, bold in fragments(document) if bold] == ["bold"]  # added text is plain
    view.finish_assistant()
    assert view.toPlainText().endswith("word599")
    assert view.document_for(len(view.rows) - 1).blockCount() == 2  # rendered whole: one paragraph


def test_a_width_change_renders_the_paragraph_whole_again(qtbot: QtBot) -> None:
    ticks = streamed_ticks(qtbot, WORDS, 30)
    view, streamed, _asked = next(ticks)
    while len(streamed) <= 3000:
        view, streamed, _asked = next(ticks)
    document = reply_of(view).document
    document.fit(document.textWidth() + 40)
    view, streamed, asked = next(ticks)
    assert asked  # the whole render, at the new width
    assert shown(view) == whole_render_at(document.textWidth(), streamed)


def fragments(document: QTextDocument) -> list[tuple[str, bool]]:
    """Each piece of the reply's text (after its author line) and whether it is bold."""
    found = []
    block = document.begin().next()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            found.append((fragment.text(), fragment.charFormat().fontWeight() > 400))
            iterator += 1
        block = block.next()
    return found


def test_marks_line_breaks_and_a_paragraph_ending_in_a_link_go_back_to_the_whole_render(qtbot: QtBot) -> None:
    text = WORDS + " see [the docs](https://example.com) and `code` then more words"
    ticks = streamed_ticks(qtbot, text, 40)
    seen_render_after_growth = False
    was_growing = False
    for view, streamed, asked in ticks:
        growing = isinstance(reply_of(view)._growing, OpenParagraph)
        if was_growing and asked:
            seen_render_after_growth = True
        was_growing = growing
        assert shown(view) == whole_render(view, streamed)
    assert seen_render_after_growth
    assert "the docs" in view.toPlainText() and "[" not in view.toPlainText()


def test_model_text_added_in_place_is_text_never_markup(qtbot: QtBot) -> None:
    hostile = WORDS + " &lt;b&gt; <b>bold</b> <img src=x> [x](javascript:alert(1)) tail words here"
    *_, (view, streamed, _asked) = streamed_ticks(qtbot, hostile, 5)
    document = reply_of(view).document
    assert "<b>bold</b>" in document.toPlainText() and "<img src=x>" in document.toPlainText()
    assert not any(bold for _text, bold in fragments(document))
    assert shown(view) == whole_render(view, streamed)


def test_lists_headings_quotes_and_short_paragraphs_are_rendered_whole(qtbot: QtBot) -> None:
    for text in ("- " + WORDS, "# " + WORDS, "> " + WORDS, "    " + WORDS, WORDS[:1000]):
        for view, _streamed, _asked in streamed_ticks(qtbot, text, 50):
            assert not isinstance(reply_of(view)._growing, OpenParagraph), text[:10]


def test_inert_text() -> None:
    assert inert("plain words, 1.5 (yes 'quoted' \"too\" é 𝔘 😀: a/b #1 = 2 + 3 - 4 % 5")
    for marked in [*"*_`[]!<>&;)\\|~", "\n", "\t", "\u202e", "\u200d"]:
        assert not inert(f"a{marked}b"), repr(marked)


PIECES = [*"ab :/;1.+#-=*_`[]()<>&é", " ", "amp", "\n", "\n\n"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tail=st.lists(st.sampled_from(PIECES), max_size=300).map("".join),
    size=st.integers(1, 200),
)
def test_any_text_after_a_long_paragraph_shows_what_a_whole_render_shows(
    qtbot: QtBot, tail: str, size: int
) -> None:
    text = WORDS[:2000] + tail
    for view, streamed, _asked in streamed_ticks(qtbot, text, size):
        if len(streamed) > 1900:
            assert shown(view) == whole_render(view, streamed)
    view.deleteLater()
