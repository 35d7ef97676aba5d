"""A long saved reply shown in parts (a document each, so only what is near the screen is built),
still one message to the user; and a fast scroll that does only what fits in a frame, showing what
it left out as placeholders that are filled once it pauses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor, QGuiApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.layout.parts import SPLIT_ABOVE
from desktop_app.core.storage.models import Message, Role
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.view import html_pool
from desktop_app.ui.conversation.view.row_html import saved_row_html
from desktop_app.ui.conversation.view.rows import RowKind, row_for_message
from tests.benchmarks.big_conversation import wheel_up

CODE = "```python\n" + "\n".join(f"value_{i} = compute({i})  # step {i}" for i in range(30)) + "\n```"


def _long_reply(sections: int = 12) -> str:
    parts = [f"## Section {i}\n\n" + f"Sentence {i} of the long answer. " * 12 for i in range(sections)]
    parts.insert(4, CODE)
    parts.insert(8, "- one\n- two\n\n- three after a blank line\n- four")
    return "\n\n".join(parts)


def _view(qtbot: QtBot, messages: list[Message], height: int = 600) -> ChatView:
    view = ChatView()
    view.resize(800, height)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.show_messages(messages)
    return view


def _conversation(reply: str, n: int = 2) -> list[Message]:
    messages = []
    for i in range(n):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        body = f"Question {i}?" if role is Role.USER else reply
        messages.append(Message(f"m{i}", "c", i + 1, role, body, float(i), float(i)))
    return messages


def test_a_long_reply_is_shown_in_parts_that_make_up_one_message(qtbot: QtBot) -> None:
    reply = _long_reply()
    assert len(reply) > SPLIT_ABOVE
    view = _view(qtbot, _conversation(reply))
    parts = [row for row in view.rows if row.message_id == "m1"]
    assert len(parts) > 2
    assert [row.part for row in parts] == list(range(len(parts)))
    assert [row.last_part for row in parts] == [False] * (len(parts) - 1) + [True]
    assert "".join(row.text for row in parts) == reply
    assert all(row.kind is RowKind.REPLY for row in parts)
    assert not any(row.text.count("```") % 2 for row in parts)  # no part cuts the code block
    # One author line, at the top of the first part; the list stays one list.
    texts = [view.document_for(view.rows.index(row)).toPlainText() for row in parts]
    assert texts[0].startswith("Copilot") and not any(text.startswith("Copilot") for text in texts[1:])
    assert sum("three after a blank line" in text and "four" in text for text in texts) == 1
    # Search results and scrolling to the message land on its first part.
    assert view.row_index("m1") == view.rows.index(parts[0])


def test_copying_any_part_copies_the_whole_message(qtbot: QtBot) -> None:
    reply = _long_reply()
    view = _view(qtbot, _conversation(reply))
    middle = next(i for i, row in enumerate(view.rows) if row.message_id == "m1" and row.part == 2)
    view.copy_markdown(middle)
    assert QGuiApplication.clipboard().text() == reply
    view.copy_message(middle)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Section 0") and "Sentence 11 of the long answer." in copied
    assert "value_29 = compute(29)" in copied
    view.select_all()
    view.copy_selection()
    markdown = bytes(QGuiApplication.clipboard().mimeData().data("text/markdown").data()).decode()
    assert markdown == "Question 0?\n\n" + reply.strip("\n")


def test_the_actions_of_a_long_reply_show_below_its_last_part(qtbot: QtBot) -> None:
    view = _view(qtbot, _conversation(_long_reply(6)), height=3000)
    parts = [i for i, row in enumerate(view.rows) if row.message_id == "m1"]
    assert len(parts) > 1
    view.scroll_to_top()
    QCursor.setPos(view.viewport().mapToGlobal(QPoint(200, round(view.row_top(parts[0]) + 40))))
    view.hovered_row = parts[0]
    view.hover_changed()
    assert view.hover_bar.isVisible()
    assert view.hover_bar.y() >= view.row_top(parts[-1]) + view.document_for(parts[-1]).size().height()
    gaps = [view.row_rect(i).height() - view.document_for(i).size().height() for i in parts]
    assert gaps[0] > 0 and gaps[-1] > 0  # the space above the message and its action strip
    assert all(gap == 0 for gap in gaps[1:-1])  # nothing between the parts


def test_a_fast_scroll_leaves_placeholders_that_are_filled_when_it_pauses(qtbot: QtBot) -> None:
    view = _view(qtbot, _conversation(_long_reply(), n=60))
    view.build_cost.learn(1, 1.0)  # pretend building is very slow: a step can afford nothing new
    view.build_cost.learn(1, 1.0, rendered=False)
    for _step in range(12):
        wheel_up(view)
    first, last = view.visible_rows()
    unbuilt = [i for i in range(first, last + 1) if not view.has_document(i)]
    assert unbuilt  # the scroll did not wait for them
    view.viewport().repaint()  # placeholders paint without building anything
    assert not view.has_document(unbuilt[0])
    qtbot.waitUntil(lambda: all(view.is_ready(i) for i in range(*_on_screen(view))), timeout=5000)
    qtbot.waitUntil(lambda: not view._fill_timer.isActive(), timeout=5000)  # and then it rests


def test_a_costly_document_is_parsed_in_one_turn_and_laid_out_in_the_next(qtbot: QtBot) -> None:
    view = _view(qtbot, _conversation(_long_reply(), n=60))
    view.build_cost.learn(1, 1.0)  # every document looks costly
    view.build_cost.learn(1, 1.0, rendered=False)
    for _step in range(12):
        wheel_up(view)
    first, last = view.visible_rows()
    waiting = [i for i in range(first, last + 1) if not view.has_document(i)]
    assert waiting
    for index in waiting:
        view.row_html(index)  # their HTML is made (as the render process would): only Qt's work is left
    view._fill()  # one idle turn: one document parsed, nothing laid out, still a placeholder
    parsed = [i for i in waiting if view.has_document(i)]
    assert len(parsed) == 1 and not view.is_ready(parsed[0])
    view._fill()  # the next: it is laid out and drawn as itself
    assert view.is_ready(parsed[0])


def _on_screen(view: ChatView) -> tuple[int, int]:
    first, last = view.visible_rows()
    return first, last + 1


def test_keys_and_jumps_build_what_they_show_at_once(qtbot: QtBot) -> None:
    view = _view(qtbot, _conversation(_long_reply(), n=60))
    view.build_cost.learn(1, 1.0)
    view.scroll_to_top()  # Ctrl+Home, a search result, find: never placeholders
    assert all(view.is_ready(i) for i in range(*_on_screen(view)))
    view.scroll_to_message("m31")
    assert all(view.is_ready(i) for i in range(*_on_screen(view)))
    assert view.is_message_visible("m31")


def test_the_parts_stand_as_far_apart_as_the_blocks_of_one_document(qtbot: QtBot) -> None:
    messages = _conversation(_long_reply())
    view = _view(qtbot, messages)
    parts = [i for i, row in enumerate(view.rows) if row.message_id == "m1"]
    whole = view.new_document()
    whole.set_html(
        saved_row_html(row_for_message(messages[1], [], view.author), view.turns, view._renderer, {})
    )
    whole.fit(view.column.text_width(RowKind.REPLY))
    in_parts = sum(view.document_for(i).size().height() for i in parts)
    assert abs(in_parts - whole.size().height()) <= len(parts)  # a pixel of rounding at most per part


def test_the_render_process_makes_the_html_the_view_would_make(qtbot: QtBot) -> None:
    view = ChatView()
    view.resize(800, 600)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view._pool.rendered, timeout=60_000) as arrived:
        view.show_messages(_conversation(_long_reply(), n=40))
        assert view._pool.pending  # asked for at once, ahead of scrolling
    generation, results = arrived.args
    assert generation == view._generation and len(results) > 3
    by_key = {row.key: index for index, row in enumerate(view.rows)}
    first, _last = view.visible_rows()
    assert any(by_key[key] < first for key, _html in results)  # above the screen
    for key, html in results:
        row = view.rows[by_key[key]]
        assert html == sanitize.for_view(saved_row_html(row, view.turns, view._renderer, view.tool_outcomes))
        assert view._html.get(key) == html


def test_without_the_render_process_the_view_renders_for_itself(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html_pool, "_broken", True)
    monkeypatch.setattr(html_pool, "_executor", None)
    view = _view(qtbot, _conversation(_long_reply(), n=40))
    for _step in range(12):
        wheel_up(view)
    assert not view._pool.pending
    qtbot.waitUntil(lambda: all(view.has_document(i) for i in range(*_on_screen(view))), timeout=5000)


def test_a_scroll_step_leaves_markdown_to_the_render_process(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(qtbot, _conversation(_long_reply(), n=60))
    qtbot.waitUntil(lambda: view._pool.in_use and not view._pool.in_flight, timeout=60_000)
    made_here: list[str] = []
    real = view.row_html

    def row_html(index: int) -> str:
        if view._html.get(view.rows[index].key) is None:
            made_here.append(view.rows[index].key)
        return real(index)

    monkeypatch.setattr(view, "row_html", row_html)
    view.build_cost.learn(1, 0.0)  # building looks free: only the process's work is left out
    view.build_cost.learn(1, 0.0, rendered=False)
    for _step in range(40):
        wheel_up(view)
    assert made_here == []  # no step rendered markdown on this thread
    qtbot.waitUntil(lambda: all(view.has_document(i) for i in range(*_on_screen(view))), timeout=60_000)
    assert made_here == []  # what came on screen was made by the process


def test_a_row_the_render_process_could_not_make_is_made_here(qtbot: QtBot) -> None:
    view = _view(qtbot, _conversation(_long_reply(), n=60))
    qtbot.waitUntil(lambda: view._pool.in_use and not view._pool.in_flight, timeout=60_000)
    for _step in range(30):
        wheel_up(view)
    first, last = view.visible_rows()
    keys = [view.rows[i].key for i in range(first, last + 1) if not view.has_document(i)]
    view._pool.failed.update(keys)
    view._html_arrived(view._generation, [])
    qtbot.waitUntil(lambda: all(view.has_document(i) for i in range(*_on_screen(view))), timeout=5000)
