"""The chat view while a reply streams: incremental rendering matches a full render, late reference
definitions, notices, reasoning, and a reader who scrolled away is left where they are."""

from __future__ import annotations

import asyncio
import re

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.ui.conversation.chat_view import ChatView

LONG_REPLY = "\n".join(
    f"## Section {i}\n\nParagraph {i} with **bold** and `code`.\n\n- item a{i}\n- item b{i}\n\n"
    f"```python\nprint({i})\n\nx = {i}\n```\n"
    for i in range(12)
)


def _stream(view: ChatView, text: str, size: int, render_every: int, begin: bool = True) -> None:
    if begin:
        view.begin_assistant()
    for n, start in enumerate(range(0, len(text), size)):
        view.append_delta(text[start : start + size])
        if n % render_every == 0:
            view._render_tick()
    view.finish_assistant()


@pytest.mark.parametrize("size", [1, 5, 13, 400])
def test_streamed_reply_matches_full_render(qtbot: QtBot, size: int) -> None:
    reference = ChatView()
    qtbot.addWidget(reference)
    reference.begin_assistant()
    reference.append_delta(LONG_REPLY)
    reference.finish_assistant()

    view = ChatView()
    qtbot.addWidget(view)
    _stream(view, LONG_REPLY, size, render_every=3)

    assert view.toPlainText() == reference.toPlainText()
    assert "Section 11" in view.toPlainText()
    assert view.render_count > 0


def test_tail_is_visible_while_streaming(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_delta("Intro paragraph.\n\n```python\ndef half")
    view._render_tick()
    text = view.toPlainText()
    assert "Intro paragraph." in text
    assert "def half" in text  # the open code block is shown (closed for rendering)
    assert "```" not in text


def test_final_text_replaces_stream_when_different(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_delta("partial")
    view.finish_assistant("The **complete** answer.")
    assert "The complete answer." in view.toPlainText()
    assert "partial" not in view.toPlainText()


@pytest.mark.asyncio
async def test_streaming_renders_are_coalesced(qtbot: QtBot) -> None:
    view = ChatView(interval_ms=33)
    qtbot.addWidget(view)
    view.show()
    view.begin_assistant()
    for i in range(600):
        view.append_delta(f"word{i} ")
        if i % 20 == 0:
            await asyncio.sleep(0.005)
    await asyncio.sleep(0.1)
    view.finish_assistant()
    assert "word599" in view.toPlainText()
    assert 1 <= view.render_count < 60  # far fewer renders than deltas


def test_notice_ends_the_streaming_reply(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_delta("some text")
    view.add_notice("Could not connect", "error")
    assert not view.streaming
    text = view.toPlainText()
    assert text.index("some text") < text.index("Could not connect")


def test_reference_links_resolve_when_the_reply_ends(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.add_user_message("question")
    view.begin_assistant()
    view.append_delta("See [the docs][1] for more.\n\nAnother paragraph.\n\n[1]: https://example.org/docs\n")
    view._render_tick()
    view.finish_assistant()
    assert 'href="https://example.org/docs"' in view.toHtml()
    text = view.toPlainText()
    assert "[the docs]" not in text and "question" in text
    assert text.count("Another paragraph.") == 1


def test_streaming_never_yanks_the_reader(qtbot: QtBot) -> None:
    from desktop_app.ui.conversation.view.selection import Spot, TextSelection

    view = ChatView()
    view.resize(600, 300)
    qtbot.addWidget(view)
    view.show()
    view.begin_assistant()
    view.append_delta("First paragraph to select.\n\n" + "".join(f"Line {i}.\n\n" for i in range(60)))
    view._render_tick()
    # The reader scrolls up and selects text in a finished block.
    view.verticalScrollBar().setValue(0)
    start = view.document_for(0).toPlainText().index("First paragraph")
    view.selection = TextSelection(Spot(0, start), Spot(0, start + len("First paragraph to select.")))
    for i in range(40):
        view.append_delta(f"More {i}.\n\n")
        view._render_tick()
    assert view.verticalScrollBar().value() == 0  # not pulled to the bottom
    assert not view.pinned and view.jump_button.isVisibleTo(view)  # "Jump to latest" is offered
    assert view.selected_text() == "First paragraph to select."
    # Back at the bottom, the view follows the stream again.
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    assert not view.jump_button.isVisibleTo(view)
    view.append_delta("Last words.\n\n")
    view._render_tick()
    assert view.verticalScrollBar().value() == view.verticalScrollBar().maximum()


def test_jump_to_latest_goes_back_to_the_stream_and_follows_it(qtbot: QtBot) -> None:
    view = ChatView()
    view.resize(600, 300)
    qtbot.addWidget(view)
    view.show()
    view.begin_assistant()
    view.append_delta("".join(f"Line {i}.\n\n" for i in range(80)))
    view._render_tick()
    view.verticalScrollBar().setValue(0)
    assert view.jump_button.isVisibleTo(view)
    assert view.jump_button.accessibleName() == "Jump to latest"
    qtbot.mouseClick(view.jump_button, Qt.MouseButton.LeftButton)
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum() and view.pinned
    view.append_delta("".join(f"More {i}.\n\n" for i in range(20)))
    view._render_tick()
    assert bar.value() == bar.maximum()
    view.finish_assistant()
    assert not view.jump_button.isVisibleTo(view)


def test_reasoning_streams_open_then_folds_and_can_be_shown_again(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_reasoning("Let me think about")
    view.append_reasoning(" this carefully.")
    view._render_tick()
    assert "Thinking: Let me think about this carefully." in view.toPlainText()
    view.append_delta("The **answer**.\n\nSecond paragraph.\n")
    view._render_tick()
    view.finish_assistant()
    text = view.toPlainText()
    assert "Thinking (6 words)" in text and "Let me think" not in text
    assert text.index("Thinking (6 words)") < text.index("The answer.")
    after = view.toPlainText()
    view.toggle_reasoning(view.rows[-1].key)
    shown = view.toPlainText()
    assert "Thinking: Let me think about this carefully." in shown
    assert shown.index("carefully.") < shown.index("The answer.")
    view.toggle_reasoning(view.rows[-1].key)
    assert view.toPlainText() == after


def test_a_reference_link_works_while_the_reply_still_streams(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_delta("Intro.\n\nSee [the docs][d] for more.\n\nMore text")
    view._render_tick()
    assert "[the docs][d]" in view.toPlainText()  # not defined yet: shown as written
    view.append_delta(".\n\n[d]: https://example.com/docs\n\nAnd the rest.\n\nStill streaming")
    view._render_tick()  # the definition's block is finished once the next one has started
    assert view.streaming
    text = view.toPlainText()
    assert "[the docs][d]" not in text and "See the docs for more." in text
    assert 'href="https://example.com/docs"' in view.toHtml()
    assert text.count("Intro.") == 1 and "And the rest" in text  # redone in place, nothing doubled
    view.finish_assistant()
    assert view.toPlainText().count("See the docs for more.") == 1


def test_a_notice_before_any_text_goes_above_the_reply_which_goes_on(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.add_user_message("Question")
    view.begin_assistant()
    view.add_notice("MCP server 'x' failed to start: exit 3", "warning")
    assert view.streaming  # the reply was not cut short
    view.append_delta("The answer.")
    view._render_tick()
    view.add_notice("Retrying (1/5)", "warning")  # after text: ends what streamed, shown below
    view.append_delta(" More.")
    view.finish_assistant()
    text = view.toPlainText()
    assert text.count("Copilot") == 2  # one reply header, and one after the later notice
    assert text.index("Question") < text.index("MCP server 'x'") < text.index("Copilot")
    assert text.index("Copilot") < text.index("The answer.") < text.index("Retrying (1/5)")


def test_a_different_final_text_replaces_blocks_already_shown(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_delta("First para.\n\nSecond one.\n\nThird")
    view._render_tick()  # the first blocks are rendered for good
    assert "First para." in view.toPlainText()
    view.finish_assistant("Replaced whole.\n\nAnother.")
    text = view.toPlainText()
    assert "First para." not in text and "Second one." not in text
    assert text.count("Replaced whole.") == 1 and "Another." in text


def _late_definitions(count: int) -> str:
    uses = "".join(f"Paragraph {i} cites [source {i}][r{i}].\n\n" for i in range(count))
    definitions = "".join(f"[r{i}]: https://example.com/{i}\n\n" for i in range(count))
    return f"# Title\n\n{uses}Some **bold** closing text.\n\n{definitions}The end.\n"


def test_late_definitions_redo_only_the_blocks_that_use_them_in_place(qtbot: QtBot) -> None:
    text = _late_definitions(40)
    reference = ChatView()
    qtbot.addWidget(reference)
    reference.begin_assistant()
    reference.append_delta(text)
    reference.finish_assistant()

    view = ChatView()
    qtbot.addWidget(view)
    inserted: list[str] = []
    view.begin_assistant()
    assert view._reply is not None
    document = view._reply.document
    insert = document.insert_html

    def counting(cursor: object, fragment: str) -> None:
        inserted.append(fragment)
        insert(cursor, fragment)  # type: ignore[arg-type]

    document.insert_html = counting  # type: ignore[method-assign]
    _stream(view, text, size=9, render_every=2, begin=False)
    assert view.toPlainText() == reference.toPlainText()

    def structure(v: ChatView) -> str:
        return re.sub(r"(message|markdown)-[0-9a-f]{16}", "key", v.toHtml())

    assert structure(view) == structure(reference)  # the same structure, not only the same words
    assert 'href="https://example.com/39"' in view.toHtml()
    fragments = [f for f in inserted if "Paragraph 7 cites" in f and "/7" in f]
    assert len(fragments) == 1  # the block using r7 was redone once, when r7 came
    committed = len([f for f in inserted if "cites" in f])
    assert committed <= 2 * 40 + view.render_count  # linear: no re-insertion of every block
