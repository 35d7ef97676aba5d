"""A long code block that streams grows in place: each tick adds its new lines instead of rendering
the whole block again, shows exactly the code so far, and ends as a full render would have it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from desktop_app.core.rendering.markdown_render import COPY_SCHEME
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.view import open_code
from tests.qt.conversation.streaming_helpers import chunks, reply_of

LINES = [
    f"def step_{i}(value: int) -> int:\n    return value + {i}  # <b>{i}</b> & <img src=x>\n"
    for i in range(80)
]
CODE = "\n".join(LINES)
REPLY = f"Here is the file:\n\n```python\n{CODE}```\n\nDone."


def reference_text(text: str) -> str:
    view = ChatView()
    view.begin_assistant()
    view.append_delta(text)
    view.finish_assistant()
    plain = view.toPlainText()
    view.deleteLater()
    return plain


def shown_code(view: ChatView) -> str:
    """The code the growing box shows (its frame's lines)."""
    growing = reply_of(view)._growing
    assert growing is not None
    cursor = growing._frame.firstCursorPosition()
    cursor.setPosition(growing._frame.lastCursorPosition().position(), cursor.MoveMode.KeepAnchor)
    return cursor.selectedText().replace("\u2029", "\n")


def code_so_far(streamed: str) -> str:
    """What the box should show: the code after the fence line, without a trailing newline, and
    without a closing fence half written on the last line."""
    code = streamed.split("```python\n", 1)[1]
    head, _, last = code.rpartition("\n")
    if last.strip() and "```".startswith(last.strip()[:3]):
        code = head
    return code.rstrip("\n")


@pytest.mark.parametrize("size", [1, 7, 40, 333])
def test_a_long_code_block_grows_line_by_line_and_ends_as_a_full_render(qtbot: QtBot, size: int) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    renders: list[str] = []
    renderer = reply_of(view)._renderer
    real = renderer.render_streaming
    renderer.render_streaming = lambda text, refs=None: renders.append(text) or real(text, refs)  # type: ignore[method-assign]
    grown = 0
    streamed = ""
    for chunk in chunks(REPLY, size):
        streamed += chunk
        view.append_delta(chunk)
        before = len(renders)
        view._render_tick()
        if reply_of(view)._growing is not None and "```python\n" in streamed:
            if len(renders) == before:
                grown += 1  # a tick that rendered no markdown at all
            assert shown_code(view) == code_so_far(streamed)
            key = reply_of(view)._growing._key  # type: ignore[union-attr]
            assert renderer.code_snippets[key] == streamed.split("```python\n", 1)[1].rstrip("\n")
    assert grown >= min(20, len(REPLY) // size // 2)  # most ticks of the block only added lines
    assert all(len(text) < open_code.MIN_CHARS + size + 80 for text in renders if "```" in text[:20])
    view.finish_assistant()
    assert view.toPlainText() == reference_text(REPLY)


def test_model_text_in_a_growing_block_is_text_never_markup(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    for chunk in chunks(REPLY[: len(REPLY) // 2], 50):
        view.append_delta(chunk)
        view._render_tick()
    assert reply_of(view)._growing is not None
    document = reply_of(view).document
    assert "<img src=x>" in document.toPlainText() and "<b>3</b>" in document.toPlainText()
    hrefs = set()
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            hrefs.add(iterator.fragment().charFormat().anchorHref())
            iterator += 1
        block = block.next()
    assert {h for h in hrefs if h} == {f"{COPY_SCHEME}:code-{reply_of(view)._growing._key}"}  # type: ignore[union-attr]


def test_a_short_block_or_one_inside_a_list_is_rendered_whole(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_delta("```python\nx = 1\n")
    view._render_tick()
    assert reply_of(view)._growing is None
    view.finish_assistant()
    nested = "- an item\n\n  ```python\n" + "".join(f"  x_{i} = {i}\n" for i in range(300))
    view.begin_assistant()
    for chunk in chunks(nested, 100):
        view.append_delta(chunk)
        view._render_tick()
        assert reply_of(view)._growing is None
    view.finish_assistant()
    assert "x_299 = 299" in view.toPlainText()


def test_a_reply_that_ends_inside_its_code_block_is_rendered_whole(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    cut = REPLY[: REPLY.index("def step_60")]
    view.begin_assistant()
    for chunk in chunks(cut, 60):
        view.append_delta(chunk)
        view._render_tick()
    assert reply_of(view)._growing is not None
    view.finish_assistant()
    assert view.toPlainText() == reference_text(cut)


PIECES = [*"ab <>&`~\"'#\\{}é𝔘\t", "\n", "\n    ", "\n\n", "x = 1", "```", "~~~"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    code=st.lists(st.sampled_from(PIECES), min_size=400, max_size=900).map("".join),
    size=st.integers(1, 400),
)
def test_any_code_streams_to_what_a_full_render_shows(qtbot: QtBot, code: str, size: int) -> None:
    text = f"```python\n{code}"
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    streamed = ""
    for chunk in chunks(text, size):
        streamed += chunk
        view.append_delta(chunk)
        view._render_tick()
        lines = streamed.split("\n")[1:-1]
        if not any(line.startswith(("```", "~~~")) for line in lines) and reply_of(view)._growing:
            assert shown_code(view) == code_so_far(streamed)  # the same fence, still open: all shown
    view.finish_assistant()
    assert view.toPlainText() == reference_text(text)
    view.deleteLater()
