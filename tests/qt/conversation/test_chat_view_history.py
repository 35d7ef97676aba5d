"""The chat view showing a saved conversation: the end first, older messages loaded on scroll (or
prepared while idle) without moving the view, and scrolling to a message not loaded yet."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Message, Role
from desktop_app.ui.conversation.chat_view import ChatView


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
