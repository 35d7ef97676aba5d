"""Find in the conversation (the whole of it, not only what is laid out), Ctrl+K results that land
on the exact match, and selecting and copying across messages as text, markdown and rich text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QGuiApplication, QTextCursor
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Message, Role
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.find_bar import FindBar
from tests.conftest import wait_until
from tests.qt.offline_window import active_offline_window, store_of

TABLE = "| name | size |\n|---|---|\n| a | 1 |\n| b | 2 |"


def _conversation(n: int, needles: dict[int, str]) -> list[Message]:
    messages = []
    for i in range(n):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        body = f"Question {i}?" if role is Role.USER else f"Answer {i}. " + "Filler words here. " * 60
        body += needles.get(i, "")
        messages.append(Message(f"m{i}", "c", i + 1, role, body, float(i), float(i)))
    return messages


def _view(qtbot: QtBot, messages: list[Message]) -> ChatView:
    view = ChatView()
    view.resize(800, 600)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.show_messages(messages)
    return view


def _highlighted(view: ChatView, index: int) -> int:
    document = view.document_for(index)
    return len(view.selections_for(index, document))


def test_the_find_bar_counts_and_steps_through_every_match_in_the_conversation(qtbot: QtBot) -> None:
    view = _view(
        qtbot, _conversation(400, {3: " a Needle here", 201: " NEEDLE twice needle", 397: " needle"})
    )
    bar = FindBar(view)
    qtbot.addWidget(bar)
    bar.open_bar()
    qtbot.keyClicks(bar.field, "needle")
    bar.search_now()  # what the debounce timer does once typing pauses
    assert view.find_results is not None and view.find_results.total == 4
    assert bar.count.text().endswith("of 4")
    visited = []
    for _step in range(4):
        qtbot.keyClick(bar.field, Qt.Key.Key_Return)
        current = view._find_current
        assert current is not None
        visited.append(current.row)
        assert view.is_message_visible(view.rows[current.row].key)  # the match is on screen
        assert _highlighted(view, current.row) >= 1
        assert bar.count.text() == f"{view.find_results.current + 1} of 4"
    assert sorted(visited) == [3, 201, 201, 397]
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # back one
    assert view._find_current is not None and view._find_current.row == visited[-2]
    closed: list[bool] = []
    bar.closed.connect(lambda: closed.append(True))
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert closed and not bar.isVisible() and view.find_results is None
    assert _highlighted(view, 201) == 0  # the highlights went with the bar


def test_no_matches_is_said_and_an_empty_field_clears(qtbot: QtBot) -> None:
    view = _view(qtbot, _conversation(10, {}))
    bar = FindBar(view)
    qtbot.addWidget(bar)
    bar.open_bar()
    qtbot.keyClicks(bar.field, "zebra")
    bar.search_now()
    assert bar.count.text() == "No matches"
    bar.field.clear()
    bar.search_now()
    assert bar.count.text() == "" and view.find_results is None


@pytest.mark.asyncio
async def test_ctrl_f_opens_the_find_bar_in_the_window_and_esc_gives_the_composer_back(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = active_offline_window(qtbot, tmp_path, ("alpha",))
    conversation = store_of(window).list_conversations()[0]
    window.open_conversation(conversation.id)
    await wait_until(lambda: "hello from alpha" in window.view.toPlainText())
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    await wait_until(window.find_bar.field.hasFocus)
    qtbot.keyClicks(window.find_bar.field, "hello")
    await wait_until(lambda: window.find_bar.count.text() == "1 of 1")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    await wait_until(window.composer.hasFocus)


def test_a_search_result_lands_on_the_exact_match_deep_in_a_long_reply(qtbot: QtBot) -> None:
    long_reply = "Intro.\n\n" + "".join(f"Paragraph {i} says nothing much.\n\n" for i in range(400))
    long_reply += "Here is the rare zanzibar word.\n\n" + "Tail.\n\n" * 50
    messages = _conversation(20, {})
    messages[5] = Message("m5", "c", 6, Role.ASSISTANT, long_reply, 5.0, 5.0)
    view = _view(qtbot, messages)
    assert view.show_match("m5", "zanzibar")
    assert view._flash is not None
    # A reply this long is shown in parts: the flash is in the part that says it.
    index = next(i for i, row in enumerate(view.rows) if row.key == view._flash[0])
    assert view.rows[index].message_id == "m5" and view.rows[index].part > 0
    assert _highlighted(view, index) == 1
    start = view._flash[1]
    assert view.document_for(index).toPlainText()[start : start + 8] == "zanzibar"
    # The match itself is on screen, not only the top of the reply.
    assert view.row_top(view.row_index("m5")) < -1_000  # the reply's top is far above the screen
    document = view.document_for(index)
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    origin = view.column.text_origin(view.rows[index], view.row_top(index), document)
    line_y = origin.y() + document.documentLayout().blockBoundingRect(cursor.block()).top()
    assert 0 <= line_y < view.viewport().height()
    point = view.link_point("copy:")  # nothing to click here; the view still answers
    assert point is None
    view._end_flash()
    assert _highlighted(view, index) == 0


def test_select_all_and_copy_give_the_conversation_as_text_markdown_and_rich_text(qtbot: QtBot) -> None:
    messages = [
        Message("u", "c", 1, Role.USER, "Show me a table", 0.0, 0.0),
        Message("a", "c", 2, Role.ASSISTANT, f"Here:\n\n{TABLE}\n\n- one\n- two", 0.0, 0.0),
    ]
    view = _view(qtbot, messages)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    data = clipboard.mimeData()
    assert data is not None
    text = data.text()
    assert text.startswith("Show me a table") and "one" in text and "Copilot" not in text
    markdown = bytes(data.data("text/markdown").data()).decode()
    assert markdown == f"Show me a table\n\nHere:\n\n{TABLE}\n\n- one\n- two"  # tables and lists kept
    html = data.html()
    assert "<table" in html and "<li" in html  # rich text keeps them too


def test_a_mouse_drag_selects_across_two_messages(qtbot: QtBot) -> None:
    messages = [
        Message("u", "c", 1, Role.USER, "First prompt words", 0.0, 0.0),
        Message("a", "c", 2, Role.ASSISTANT, "Reply words follow", 0.0, 0.0),
    ]
    view = _view(qtbot, messages)
    view.scroll_to_top()
    top_user = view.column.text_origin(view.rows[0], view.row_top(0), view.document_for(0))
    reply_doc = view.document_for(1)
    reply_origin = view.column.text_origin(view.rows[1], view.row_top(1), reply_doc)
    start = QPoint(round(top_user.x()) + 1, round(top_user.y()) + 8)
    end = QPoint(
        round(reply_origin.x() + reply_doc.size().width() - 2),
        round(reply_origin.y() + reply_doc.size().height() - 4),
    )
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    selected = view.selected_text()
    assert "First prompt words" in selected and "Reply words follow" in selected
    assert view.copy_selection()


def test_a_theme_switch_recolours_saved_messages_at_once(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor, QPalette

    from desktop_app.core.rendering.theme import DARK, LIGHT

    view = _view(
        qtbot, [*_conversation(30, {}), Message("code", "c", 99, Role.ASSISTANT, "```\nx\n```", 0, 0)]
    )
    assert view.theme is LIGHT
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#0d1117"))
    view.setPalette(palette)
    assert view.theme is DARK
    html = view.document_for(len(view.rows) - 1).toHtml().lower()
    assert DARK.code_background in html and LIGHT.code_background not in html
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()  # still at the end after every height was re-measured


def test_every_message_is_an_accessible_item(qtbot: QtBot) -> None:
    view = _view(qtbot, _conversation(6, {}))
    model = view.row_model
    assert model.rowCount() == 6
    first = model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert first == "You: Question 0?"
    reply = model.index(5, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Answer 5." in reply and reply.startswith("Copilot")
    # What assistive technology gets: a list named "Conversation", one named item per message.
    interface = QAccessible.queryAccessibleInterface(view)
    assert interface is not None and interface.role() is QAccessible.Role.List
    assert interface.text(QAccessible.Text.Name) == "Conversation"
    assert interface.childCount() == 6
    item = interface.child(5)
    assert item.role() is QAccessible.Role.ListItem and "Answer 5." in item.text(QAccessible.Text.Name)


def test_right_to_left_paragraphs_align_right_in_replies_and_inside_bubbles(qtbot: QtBot) -> None:
    view = ChatView()
    view.resize(800, 400)
    qtbot.addWidget(view)
    view.show()
    view.add_user_message("مرحبا كيف حالك اليوم")
    view.begin_assistant()
    view.append_delta("English first.\n\nهذا نص عربي طويل بعض الشيء للاختبار")
    view.finish_assistant()

    def line_span(index: int, starts: str) -> tuple[float, float]:
        document = view.document_for(index)
        block = document.findBlock(document.toPlainText().index(starts))
        line = block.layout().lineAt(0)
        left = document.documentLayout().blockBoundingRect(block).left() + line.naturalTextRect().left()
        origin = view.column.text_origin(view.rows[index], view.row_top(index), document)
        return origin.x() + left, origin.x() + left + line.naturalTextWidth()

    column = view.column
    english = line_span(1, "English")
    arabic = line_span(1, "هذا")
    assert abs(english[0] - column.left) < 2  # left-to-right starts at the left
    assert abs(arabic[1] - (column.left + column.width)) < 2  # right-to-left ends at the right
    bubble = column.box(view.rows[0], view.row_top(0), view.document_for(0))
    prompt = line_span(0, "مرحبا")
    assert bubble.left() < prompt[0] and prompt[1] < bubble.right()  # the words are in their bubble
