"""The chat view: incremental streaming matches a full render, and model output stays inert."""

from __future__ import annotations

import asyncio
import re

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Message, Role
from desktop_app.ui.conversation import conversation_document as document_module
from desktop_app.ui.conversation.chat_view import ChatView
from tests.model_server import MARKDOWN_REPLY

LONG_REPLY = "\n".join(
    f"## Section {i}\n\nParagraph {i} with **bold** and `code`.\n\n- item a{i}\n- item b{i}\n\n"
    f"```python\nprint({i})\n\nx = {i}\n```\n"
    for i in range(12)
)


def _stream(view: ChatView, text: str, size: int, render_every: int) -> None:
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


def test_raw_html_and_script_are_shown_as_text(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.add_user_message("<b>not bold</b>")
    view.begin_assistant()
    view.append_delta(
        '<script>alert("x")</script>\n\n<img src="file:///etc/passwd">\n\n![pic](file:///etc/hosts)'
    )
    view.finish_assistant()
    html = view.toHtml()
    text = view.toPlainText()
    assert "<script>" in text
    assert "<b>not bold</b>" in text
    assert "<script" not in html.replace("&lt;script", "")
    assert "<img" not in html
    assert "file:///etc/hosts" not in html


def test_markdown_renders_rich_text(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_delta(MARKDOWN_REPLY)
    view.finish_assistant()
    html = view.toHtml()
    text = view.toPlainText()
    assert "Scripted heading" in text
    assert "**" not in text and "```" not in text
    heading_pt = f"{view.font().pointSizeF() * 1.5:g}pt"  # h1 is 1.5x the system font size
    assert f"font-size:{heading_pt}" in html  # the heading is a heading
    assert "#f3f4f6" in html  # the code block box


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("https://example.org/x", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
    ],
)
def test_only_http_links_open(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, url: str, opened: bool) -> None:
    calls: list[str] = []
    monkeypatch.setattr(document_module.QDesktopServices, "openUrl", lambda u: calls.append(u.toString()))
    view = ChatView()
    qtbot.addWidget(view)
    view.anchorClicked.emit(QUrl(url))
    assert bool(calls) is opened


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


def _long_conversation(n: int = 120) -> list[Message]:
    messages = []
    for i in range(n):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        body = f"Question number {i}?" if role is Role.USER else f"## Answer {i}\n\n" + ("Some prose. " * 400)
        messages.append(Message(f"m{i}", "c", i + 1, role, body, float(i), float(i)))
    return messages


def test_a_long_conversation_shows_its_end_first_and_loads_older_on_scroll(qtbot: QtBot) -> None:
    view = ChatView()
    view.resize(800, 600)
    qtbot.addWidget(view)
    view.show()
    messages = _long_conversation()
    view.show_messages(messages)
    text = view.toPlainText()
    assert "Answer 119" in text and "Question number 0?" not in text
    assert view.older_count > 0
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()  # the end is in view
    shown_before = view.older_count
    anchor_text = "Answer 119"
    view.load_older()
    assert view.older_count < shown_before
    assert view.toPlainText().endswith(text[-200:])  # the newest part is unchanged
    assert anchor_text in view.toPlainText()
    while view.older_count:
        view.load_older()
    full = view.toPlainText()
    order = [full.index(f"Answer {i}") for i in range(1, 120, 2)]
    assert order == sorted(order)  # every message, in order
    assert full.index("Question number 0?") < full.index("Answer 1\n")


def test_older_chunks_prepared_while_idle_render_the_same(qtbot: QtBot) -> None:
    def scrolled_to_top(idle: bool) -> str:
        view = ChatView()
        qtbot.addWidget(view)
        view.show_messages(_long_conversation(30))
        while view.older_count:
            if idle:
                view._prepare_older()  # what the idle timer does between scroll steps
            else:
                view._prepared.clear()
            view.load_older()
        return view.document().toHtml()

    assert scrolled_to_top(idle=True) == scrolled_to_top(idle=False)


def test_prepared_chunks_from_another_theme_are_not_used(qtbot: QtBot) -> None:
    from desktop_app.core.rendering.theme import DARK, LIGHT

    view = ChatView()
    qtbot.addWidget(view)
    view._apply_theme(LIGHT)
    view.show_messages(_long_conversation(30))
    view._prepare_older()
    assert view._prepared
    view._apply_theme(DARK)
    rendered: list[str] = []
    original = view._message_html
    view._message_html = lambda m: rendered.append(m.id) or original(m)  # type: ignore[method-assign]
    view.load_older()
    assert rendered  # re-rendered in the dark theme, not taken from the light HTML


def test_scrolling_to_an_unloaded_message_loads_it(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.show_messages(_long_conversation())
    assert view.scroll_to_message("m0")
    assert view.older_count == 0
    assert "Question number 0?" in view.textCursor().block().text()


def test_keeping_the_view_still_when_older_messages_arrive(qtbot: QtBot) -> None:
    view = ChatView()
    view.resize(800, 600)
    qtbot.addWidget(view)
    view.show()
    view.show_messages(_long_conversation())
    bar = view.verticalScrollBar()
    cursor_at_top = view.cursorForPosition(view.viewport().rect().topLeft()).block().text()
    view.load_older()
    assert view.cursorForPosition(view.viewport().rect().topLeft()).block().text() == cursor_at_top
    assert bar.value() > 0


def test_copy_links_copy_code_text_and_markdown(qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication

    view = ChatView()
    qtbot.addWidget(view)
    copied: list[str] = []
    view.copied.connect(copied.append)
    source = "Run this:\n\n```python\nprint('hi')\n```\n\nThen **done**."
    view.begin_assistant()
    view.append_delta(source)
    view.finish_assistant()
    html = view.toHtml()
    assert ">python<" in html  # the language label
    keys = re.findall(r'href="copy:(code-[0-9a-f]+|message-[0-9a-f]+|markdown-[0-9a-f]+)"', html)
    assert {k.split("-")[0] for k in keys} == {"code", "message", "markdown"}
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    by_kind = {k.split("-")[0]: k for k in keys}
    view.anchorClicked.emit(QUrl(f"copy:{by_kind['code']}"))
    assert clipboard.text() == "print('hi')"
    view.anchorClicked.emit(QUrl(f"copy:{by_kind['markdown']}"))
    assert clipboard.text() == source
    view.anchorClicked.emit(QUrl(f"copy:{by_kind['message']}"))
    assert clipboard.text() == "Run this:\nprint('hi')\nThen done."
    assert copied == [
        "Code copied to the clipboard.",
        "Markdown copied to the clipboard.",
        "Message copied to the clipboard.",
    ]


def test_a_reply_cannot_forge_a_copy_link(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_delta("[click me](copy:code-0000) <a href='copy:markdown-1'>x</a>")
    view.finish_assistant()
    html = view.toHtml()
    assert 'href="copy:code-0000"' not in html and 'href="copy:markdown-1"' not in html
    assert "&lt;a href='copy:markdown-1'&gt;" in html  # shown as text, not a link


def test_dark_theme_colours_the_conversation(qtbot: QtBot) -> None:
    from desktop_app.core.rendering.theme import DARK, LIGHT, theme_for

    assert theme_for(20) is DARK and theme_for(240) is LIGHT
    view = ChatView(theme=DARK)
    qtbot.addWidget(view)
    view.add_user_message("hello")
    view.begin_assistant()
    view.append_delta("```python\nx = 1\n```")
    view.finish_assistant()
    view.add_notice("careful", "warning")
    html = view.toHtml().lower()
    for colour in (DARK.user_background, DARK.code_background, DARK.notices["warning"]):
        assert colour in html
    assert LIGHT.user_background not in html


def test_huge_words_and_lines_wrap_instead_of_stretching(qtbot: QtBot) -> None:
    view = ChatView()
    view.resize(600, 400)
    qtbot.addWidget(view)
    view.show()
    blob = "A" * 100_000
    view.begin_assistant()
    view.append_delta(f"Here: {blob}\n\n```\n{'x' * 50_000}\n```\n")
    view.finish_assistant()
    assert blob in view.toPlainText().replace("\n", "")
    assert view.horizontalScrollBar().maximum() < 2_000  # the 100 KB word wrapped
    assert view.document().size().height() > 1_000


def test_the_theme_follows_the_system_palette(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor, QPalette

    from desktop_app.core.rendering.theme import DARK

    view = ChatView()
    qtbot.addWidget(view)
    assert view.theme.name == "light"
    changes: list[str] = []
    view.theme_changed.connect(changes.append)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#0d1117"))
    view.setPalette(palette)
    assert changes == ["dark"] and view.theme is DARK
    view.add_user_message("after the switch")
    assert DARK.user_background in view.toHtml().lower()


def test_streaming_never_yanks_the_reader(qtbot: QtBot) -> None:
    from PySide6.QtGui import QTextCursor

    view = ChatView()
    view.resize(600, 300)
    qtbot.addWidget(view)
    view.show()
    view.begin_assistant()
    view.append_delta("First paragraph to select.\n\n" + "".join(f"Line {i}.\n\n" for i in range(60)))
    view._render_tick()
    # The reader scrolls up and selects text in a finished block.
    view.verticalScrollBar().setValue(0)
    cursor = view.document().find("First paragraph")
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    for i in range(40):
        view.append_delta(f"More {i}.\n\n")
        view._render_tick()
    assert view.verticalScrollBar().value() == 0  # not pulled to the bottom
    assert view.textCursor().selectedText() == "First paragraph to select."
    # Back at the bottom, the view follows the stream again.
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    view.append_delta("Last words.\n\n")
    view._render_tick()
    assert view.verticalScrollBar().value() == view.verticalScrollBar().maximum()


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
    view.toggle_reasoning(view._reply_key)
    shown = view.toPlainText()
    assert "Thinking: Let me think about this carefully." in shown
    assert shown.index("carefully.") < shown.index("The answer.")
    view.toggle_reasoning(view._reply_key)
    assert view.toPlainText() == after


def test_saved_reasoning_opens_folded_and_positions_follow_a_toggle(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    messages = [
        Message("u1", "c", 1, Role.USER, "Why?", 0.0, 0.0),
        Message("a1", "c", 2, Role.ASSISTANT, "Because.", 0.0, 0.0, reasoning="deep thoughts " * 20),
        Message("u2", "c", 3, Role.USER, "And then?", 0.0, 0.0),
    ]
    view.show_messages(messages)
    assert "deep thoughts" not in view.toPlainText()
    view.toggle_reasoning("a1")
    assert "deep thoughts" in view.toPlainText()
    assert view.scroll_to_message("u2")
    assert "And then?" in view.textCursor().block().text()


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
    insert = view._insert_html

    def counting(cursor: object, fragment: str) -> None:
        inserted.append(fragment)
        insert(cursor, fragment)  # type: ignore[arg-type]

    view._insert_html = counting  # type: ignore[method-assign]
    _stream(view, text, size=9, render_every=2)
    assert view.toPlainText() == reference.toPlainText()

    def structure(v: ChatView) -> str:
        return re.sub(r"(message|markdown)-[0-9a-f]{16}", "key", v.toHtml())

    assert structure(view) == structure(reference)  # the same structure, not only the same words
    assert 'href="https://example.com/39"' in view.toHtml()
    fragments = [f for f in inserted if "Paragraph 7 cites" in f and "/7" in f]
    assert len(fragments) == 1  # the block using r7 was redone once, when r7 came
    committed = len([f for f in inserted if "cites" in f])
    assert committed <= 2 * 40 + view.render_count  # linear: no re-insertion of every block


def test_a_view_at_its_end_stays_there_when_a_bar_below_makes_it_shorter(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    for n in range(40):
        view.add_user_message(f"message {n}")
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    view.resize(500, 300)  # the waiting-prompt bar (or a permission request) appears below
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    bar.setValue(0)  # the user scrolled up to read: a resize leaves them there
    view.resize(500, 350)
    assert bar.value() == 0
