"""The chat view showing a saved conversation of any size: the end first, the scroll bar covering the
whole of it, every message reachable at once by key or scroll bar, only what is near the screen laid
out, and what is on screen kept still while estimated heights become exact."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Message, Role
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.view.conversation_view import KEEP_DOCUMENTS


def _long_conversation(n: int = 120, prose: int = 400) -> list[Message]:
    messages = []
    for i in range(n):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        body = (
            f"Question number {i}?" if role is Role.USER else f"## Answer {i}\n\n" + ("Some prose. " * prose)
        )
        messages.append(Message(f"m{i}", "c", i + 1, role, body, float(i), float(i)))
    return messages


def _shown(view: ChatView, qtbot: QtBot, width: int = 800, height: int = 600) -> None:
    view.resize(width, height)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)


def _top_message(view: ChatView) -> str:
    first, _last = view.visible_rows()
    return view.rows[first].key


def test_a_long_conversation_opens_at_its_end_with_every_message_in_the_scroll_range(qtbot: QtBot) -> None:
    view = ChatView()
    _shown(view, qtbot)
    messages = _long_conversation()
    view.show_messages(messages)
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0
    assert view.is_message_visible("m119") and not view.is_message_visible("m0")
    assert len(view.rows) == 120 and view.row_model.rowCount() == 120
    # The scroll range covers every message: the total height is the sum of all rows' heights.
    assert bar.maximum() + view.viewport().height() == round(view.heights.total)
    assert view.heights.total > 120 * 40
    # Only what is near the screen was laid out.
    exact = sum(view.heights.is_exact(i) for i in range(120))
    assert 0 < exact < 20
    text = view.toPlainText()  # the whole conversation, in order
    order = [text.index(f"Answer {i}") for i in range(1, 120, 2)]
    assert order == sorted(order)
    assert text.index("Question number 0?") < text.index("Answer 1\n")


def test_ctrl_home_and_ctrl_end_reach_the_first_and_last_message_at_once(qtbot: QtBot) -> None:
    view = ChatView()
    _shown(view, qtbot)
    view.show_messages(_long_conversation())
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert view.verticalScrollBar().value() == 0
    assert view.is_message_visible("m0") and _top_message(view) == "m0"
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum() and view.is_message_visible("m119") and view.pinned


def test_page_keys_move_by_a_screen_and_arrows_by_a_step(qtbot: QtBot) -> None:
    view = ChatView()
    _shown(view, qtbot)
    view.show_messages(_long_conversation())
    bar = view.verticalScrollBar()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    after_page = bar.value()
    assert view.viewport().height() // 2 < after_page <= view.viewport().height()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert bar.value() == after_page + bar.singleStep()
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert 0 <= bar.value() < after_page


def test_dragging_the_scroll_bar_to_the_top_shows_the_first_message(qtbot: QtBot) -> None:
    view = ChatView()
    _shown(view, qtbot)
    view.show_messages(_long_conversation(400))
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)  # what a drag does: the value moves, the view follows
    middle = _top_message(view)
    assert middle not in ("m0", "m399") and view.is_message_visible(middle)
    assert not view.pinned
    bar.setValue(0)
    assert view.is_message_visible("m0")


def test_what_is_on_screen_stays_still_while_heights_above_become_exact(qtbot: QtBot) -> None:
    view = ChatView()
    _shown(view, qtbot)
    view.show_messages(_long_conversation(prose=40))  # estimates are off for short replies
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    top = _top_message(view)
    index = view.row_index(top)
    on_screen = view.row_top(index)
    for step in range(10):  # scrolling up lays out rows above, which may change their heights
        bar.setValue(bar.value() - 30)
        assert view.row_index(top) == index
        assert view.row_top(index) == on_screen + 30 * (step + 1)  # exactly: heights are whole pixels


def test_documents_far_from_the_screen_are_dropped(qtbot: QtBot) -> None:
    view = ChatView()
    _shown(view, qtbot)
    view.show_messages(_long_conversation(600, prose=20))
    bar = view.verticalScrollBar()
    while bar.value() > 0:
        bar.setValue(bar.value() - view.viewport().height())
        first, last = view.visible_rows()  # the loop runs between steps, as under a user's wheel
        qtbot.waitUntil(lambda f=first, t=last: all(view.has_document(i) for i in range(f, t + 1)))
    assert view.is_message_visible("m0")
    assert len(view._documents) <= KEEP_DOCUMENTS
    # More rows than are kept were laid out on the way, so some were dropped.
    assert sum(view.heights.is_exact(i) for i in range(600)) > KEEP_DOCUMENTS


def test_scrolling_to_a_message_far_above(qtbot: QtBot) -> None:
    view = ChatView()
    _shown(view, qtbot)
    view.show_messages(_long_conversation())
    assert view.scroll_to_message("m0")
    assert _top_message(view) == "m0"
    assert view.scroll_to_message("m60") and _top_message(view) == "m60"
    assert not view.scroll_to_message("nope")


def test_saved_reasoning_opens_folded_and_a_toggle_shows_it(qtbot: QtBot) -> None:
    view = ChatView()
    _shown(view, qtbot)
    messages = [
        Message("u1", "c", 1, Role.USER, "Why?", 0.0, 0.0),
        Message("a1", "c", 2, Role.ASSISTANT, "Because.", 0.0, 0.0, reasoning="deep thoughts " * 20),
        Message("u2", "c", 3, Role.USER, "And then?", 0.0, 0.0),
    ]
    view.show_messages(messages)
    assert "deep thoughts" not in view.toPlainText()
    height = view.heights.height(1)
    view.toggle_reasoning("a1")
    assert "deep thoughts" in view.toPlainText()
    assert view.heights.height(1) > height  # the row grew with it
    view.toggle_reasoning("a1")
    assert "deep thoughts" not in view.toPlainText()


def test_a_view_at_its_end_stays_there_when_a_bar_below_makes_it_shorter(qtbot: QtBot) -> None:
    view = ChatView()
    _shown(view, qtbot, 500, 400)
    for n in range(40):
        view.add_user_message(f"message {n}")
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()
    view.resize(500, 300)  # the waiting-prompt bar (or a permission request) appears below
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    bar.setValue(0)  # the user scrolled up to read: a resize leaves them there
    view.resize(500, 350)
    assert bar.value() == 0


def test_a_narrower_window_re_lays_out_what_is_shown_and_keeps_the_place(qtbot: QtBot) -> None:
    view = ChatView()
    _shown(view, qtbot, 1000, 600)
    view.show_messages(_long_conversation())
    view.scroll_to_message("m50")
    assert _top_message(view) == "m50"
    wide = view.heights.height(view.row_index("m51"))
    view.resize(500, 600)
    assert view.heights.height(view.row_index("m51")) > wide  # the reply wraps into more lines
    assert view.is_message_visible("m50")
