"""The message actions Edit, Regenerate, Branch from here and a prompt's versions, on the view: the
"n/m" navigator under a prompt (painted, clicked, read), the hover bar and the context menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetricsF
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Message, Role
from desktop_app.ui.conversation.actions import version_navigator
from desktop_app.ui.conversation.actions.message_actions import MessageAction
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.view.rows import RowKind


def _messages() -> list[Message]:
    return [
        Message("p1", "c", 1, Role.USER, "First question", 1.0, 1.0),
        Message("r1", "c", 2, Role.ASSISTANT, "First answer", 2.0, 2.0),
        Message("p2", "c", 3, Role.USER, "Second question", 3.0, 3.0),
        Message("r2", "c", 4, Role.ASSISTANT, "Second answer", 4.0, 4.0),
    ]


@pytest.fixture
def view(qtbot: QtBot) -> ChatView:
    view = ChatView()
    view.resize(800, 600)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.show_messages(_messages())
    return view


def _arrows(view: ChatView, message_id: str) -> tuple[QPoint, QPoint]:
    index = view.row_index(message_id)
    row = view.rows[index]
    assert row.version is not None
    strip = view.column.strip(row, view.row_top(index), view.document_for(index))
    back, _label, forward = version_navigator.parts(strip, row.version, QFontMetricsF(view.font()))
    return back.center().toPoint(), forward.center().toPoint()


def test_a_prompt_with_versions_steps_back_and_forth_from_its_arrows(qtbot: QtBot, view: ChatView) -> None:
    view.show_versions({"p2": (2, 3)})
    assert view.rows[view.row_index("p2")].version == (2, 3)
    assert view.rows[view.row_index("p1")].version is None
    steps: list[tuple[str, int]] = []
    view.version_step.connect(lambda mid, step: steps.append((mid, step)))
    back, forward = _arrows(view, "p2")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=back)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=forward)
    assert steps == [("p2", -1), ("p2", 1)]
    assert view.selection is None or view.selection.empty  # the click did not start a selection


def test_the_first_and_last_version_have_no_way_further(qtbot: QtBot, view: ChatView) -> None:
    view.show_versions({"p2": (1, 2)})
    steps: list[tuple[str, int]] = []
    view.version_step.connect(lambda mid, step: steps.append((mid, step)))
    back, forward = _arrows(view, "p2")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=back)  # nothing before the first
    assert steps == []
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=forward)
    assert steps == [("p2", 1)]


def test_a_screen_reader_hears_which_version_it_is(view: ChatView) -> None:
    view.show_versions({"p1": (1, 2)})
    assert view.rows[view.row_index("p1")].accessible_text == "You (version 1 of 2): First question"


def test_the_navigator_is_painted_under_the_prompt(qtbot: QtBot, view: ChatView) -> None:
    before = view.viewport().grab().toImage()
    view.show_versions({"p2": (2, 2)})
    view.viewport().repaint()
    after = view.viewport().grab().toImage()
    back, forward = _arrows(view, "p2")
    changed = [
        (x, y)
        for x in range(back.x() - 30, forward.x() + 10)
        for y in range(back.y() - 8, back.y() + 8)
        if before.pixel(x, y) != after.pixel(x, y)
    ]
    assert changed  # the arrows and "2/2" are drawn where the clicks land


def test_rows_sent_in_the_window_learn_their_stored_ids(view: ChatView) -> None:
    view.add_user_message("Third question")
    view.begin_assistant()
    view.append_delta("Third answer")
    view.finish_assistant("Third answer")
    assert view.rows[-1].message_id is None and view.rows[-2].message_id is None
    stored = [
        *_messages(),
        Message("p3", "c", 5, Role.USER, "Third question", 5.0, 5.0),
        Message("r3", "c", 6, Role.ASSISTANT, "Third answer", 6.0, 6.0),
    ]
    view.adopt_ids(stored)
    assert [row.message_id for row in view.rows[-2:]] == ["p3", "r3"]
    assert view.rows[0].message_id == "p1"


def test_actions_with_choices_open_their_menu_from_the_hover_bar(qtbot: QtBot, view: ChatView) -> None:
    ran: list[str] = []
    view.message_actions.add(
        MessageAction(
            "Regenerate",
            "regenerate",
            lambda _i: ran.append("same"),
            lambda row: row.kind is RowKind.REPLY,
            choices=lambda _i: [("other-model", lambda: ran.append("other"))],
            choices_title="Regenerate with",
        )
    )
    view.message_actions.add(MessageAction("Previous version", "back", lambda _i: None, on_hover=False))
    index = view.row_index("r2")
    view.hover_bar.show_for(index, view.rows[index])
    assert "Regenerate" in view.hover_bar.buttons and "Previous version" not in view.hover_bar.buttons
    view.hover_bar.buttons["Regenerate"].click()
    menu = view.hover_bar.last_menu
    assert menu is not None
    names = [a.text() for a in menu.actions()]
    assert names == ["Regenerate", "Regenerate with", "other-model"]
    menu.actions()[2].trigger()
    assert ran == ["other"]
    context = view.message_actions.menu(index, view.rows[index], view)
    items = [a.text() for a in context.actions()]
    assert "Regenerate" in items and "Previous version" in items
    submenu = next(a.menu() for a in context.actions() if a.text() == "Regenerate with")
    assert [a.text() for a in submenu.actions()] == ["other-model"]


def test_a_notice_only_shown_does_not_stop_rows_learning_their_ids(view: ChatView) -> None:
    view.add_user_message("Third question")
    view.begin_assistant()
    view.finish_assistant("Third answer")
    view.add_notice("Session usage: 3 requests")  # a command's answer, never saved
    stored = [
        *_messages(),
        Message("p3", "c", 5, Role.USER, "Third question", 5.0, 5.0),
        Message("r3", "c", 6, Role.ASSISTANT, "Third answer", 6.0, 6.0),
    ]
    view.adopt_ids(stored)
    assert [row.message_id for row in view.rows[-3:]] == ["p3", "r3", None]
