"""The sidebar grouped by date: headers, the filter, the "⋯" menu, rename in place, the keyboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Conversation
from desktop_app.ui.settings import appearance
from desktop_app.ui.sidebar import sidebar_look as look
from desktop_app.ui.sidebar.conversation_list import PAGE, ConversationSidebar
from desktop_app.ui.sidebar.grouped_model import HeaderRole

NOW = dt.datetime(2026, 3, 11, 15, 0).astimezone()  # local time, mid-afternoon


class Clock:
    """The sidebar's idea of now, movable by a test."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConversationStore]:
    s = ConversationStore(open_database(tmp_path).connection)
    yield s
    s.close()


def add(store: ConversationStore, title: str, days_ago: float, pinned: bool = False) -> Conversation:
    conversation = store.create_conversation(title)
    stamp = (NOW - dt.timedelta(days=days_ago)).timestamp()
    with store.transaction() as db:
        db.execute(
            "UPDATE conversations SET updated_at = ?, pinned = ? WHERE id = ?",
            (stamp, int(pinned), conversation.id),
        )
    return conversation


def sidebar_for(qtbot: QtBot, store: ConversationStore, clock: Clock | None = None) -> ConversationSidebar:
    sidebar = ConversationSidebar(store, now=clock or Clock())
    qtbot.addWidget(sidebar, before_close_func=lambda _: sidebar.model.detach())  # as its window does
    sidebar.resize(260, 480)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    sidebar.activateWindow()  # keys and focus behave as on a desktop
    qtbot.waitUntil(sidebar.isActiveWindow)
    return sidebar


def rows(sidebar: ConversationSidebar) -> list[str]:
    """The list as shown: headers as "# label", conversations by title."""
    model = sidebar.list.model()
    shown = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        header = index.data(HeaderRole)
        shown.append(f"# {header}" if header is not None else index.data(Qt.ItemDataRole.AccessibleTextRole))
    return shown


def move_mouse(sidebar: ConversationSidebar, where: QPointF) -> None:
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        where,
        sidebar.list.viewport().mapToGlobal(where),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(sidebar.list.viewport(), event)


@pytest.fixture
def populated(store: ConversationStore) -> ConversationStore:
    add(store, "Old pinned plan", 40, pinned=True)
    add(store, "This morning", 0.2)
    add(store, "Just now", 0.0)
    add(store, "Last night", 0.9)  # yesterday at 17:24
    add(store, "Three days ago", 3)
    add(store, "A week ago", 7)
    add(store, "A month ago", 31)
    return store


def test_headers_group_conversations_by_day_with_pinned_on_top(
    qtbot: QtBot, populated: ConversationStore
) -> None:
    sidebar = sidebar_for(qtbot, populated)
    assert rows(sidebar) == [
        "# Pinned",
        "Old pinned plan",
        "# Today",
        "Just now",
        "This morning",
        "# Yesterday",
        "Last night",
        "# Previous 7 days",
        "Three days ago",
        "A week ago",
        "# Older",
        "A month ago",
    ]
    assert sidebar.model.rowCount() == 7  # the flat model keeps one row per conversation
    header = sidebar.list.model().index(0, 0)
    assert not header.flags() & (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    assert header.data(Qt.ItemDataRole.AccessibleTextRole) == "Pinned"  # a screen reader hears it


def test_pinning_moves_a_conversation_to_pinned(qtbot: QtBot, store: ConversationStore) -> None:
    keep = add(store, "Keep me", 2)
    add(store, "Other", 0)
    sidebar = sidebar_for(qtbot, store)
    assert rows(sidebar) == ["# Today", "Other", "# Previous 7 days", "Keep me"]
    sidebar.toggle_pin(keep.id)
    qtbot.waitUntil(lambda: rows(sidebar) == ["# Pinned", "Keep me", "# Today", "Other"], timeout=2000)


def test_groups_move_on_at_midnight(qtbot: QtBot, store: ConversationStore) -> None:
    add(store, "Lunch", 0)
    clock = Clock()
    sidebar = sidebar_for(qtbot, store, clock)
    assert rows(sidebar) == ["# Today", "Lunch"]
    clock.now = NOW + dt.timedelta(days=1)
    sidebar.grouped.regroup()  # what the midnight timer does
    assert rows(sidebar) == ["# Yesterday", "Lunch"]


def test_pages_appended_keep_their_groups(qtbot: QtBot, store: ConversationStore) -> None:
    with store.transaction() as db:
        db.executemany(
            "INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(f"c{i:04}", f"C{i}", 0.0, NOW.timestamp() - i * 3600.0) for i in range(PAGE + 5)],
        )
    sidebar = sidebar_for(qtbot, store)
    shown = sidebar.grouped.rowCount()
    resets: list[int] = []
    sidebar.grouped.modelReset.connect(lambda: resets.append(1))
    sidebar.grouped.fetchMore()
    assert resets == [] and sidebar.grouped.rowCount() > shown
    assert sidebar.model.rowCount() == PAGE + 5
    labels = [r for r in rows(sidebar) if r.startswith("# ")]
    assert labels == ["# Today", "# Yesterday", "# Previous 7 days", "# Older"]


def test_filter_narrows_and_clears(qtbot: QtBot, populated: ConversationStore) -> None:
    sidebar = sidebar_for(qtbot, populated)
    assert sidebar.filter.placeholderText() == "Filter conversations"
    qtbot.keyClicks(sidebar.filter, "AGO")
    assert rows(sidebar) == ["# Previous 7 days", "Three days ago", "A week ago", "# Older", "A month ago"]
    sidebar.filter.setText("nothing like it")
    assert rows(sidebar) == [] and sidebar.list.empty_text == "No conversations match"
    qtbot.keyClick(sidebar.filter, Qt.Key.Key_Escape)  # Esc clears the filter
    assert sidebar.filter.text() == "" and len(rows(sidebar)) == 12
    assert sidebar.list.empty_text == ""
    qtbot.keyClicks(sidebar.filter, "night")
    qtbot.keyClick(sidebar.filter, Qt.Key.Key_Down)  # on to the first match
    assert sidebar.list.hasFocus()
    assert sidebar.list.currentIndex().data(Qt.ItemDataRole.AccessibleTextRole) == "Last night"


def test_hover_shows_more_and_its_click_opens_the_menu(qtbot: QtBot, populated: ConversationStore) -> None:
    sidebar = sidebar_for(qtbot, populated)
    opened: list[str] = []
    sidebar.conversation_activated.connect(opened.append)
    index = sidebar.list.model().index(3, 0)  # "Just now"
    rect = sidebar.list.visualRect(index)
    move_mouse(sidebar, QPointF(rect.center()))
    assert sidebar.list.hovered_index() == index
    move_mouse(sidebar, QPointF(sidebar.list.visualRect(sidebar.list.model().index(0, 0)).center()))
    assert not sidebar.list.hovered_index().isValid()  # a header does not light up

    button = look.more_button(rect)
    qtbot.mouseClick(sidebar.list.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    try:
        texts = [a.text() for a in menu.actions() if not a.isSeparator()]
        assert texts == ["Open in &new window", "&Rename", "&Pin to top", "Move to &trash"]
        assert all(not a.icon().isNull() for a in menu.actions() if not a.isSeparator())
        assert sidebar.list.currentIndex() == index
        assert opened == []  # "⋯" is not a click on the conversation
    finally:
        menu.close()


def test_a_click_on_a_row_opens_it(qtbot: QtBot, populated: ConversationStore) -> None:
    sidebar = sidebar_for(qtbot, populated)
    opened: list[str] = []
    sidebar.conversation_activated.connect(opened.append)
    index = sidebar.list.model().index(3, 0)
    qtbot.mouseClick(
        sidebar.list.viewport(), Qt.MouseButton.LeftButton, pos=sidebar.list.visualRect(index).center()
    )
    assert opened == [index.data(Qt.ItemDataRole.UserRole + 2)]


def test_the_menu_of_a_pinned_one_unpins(qtbot: QtBot, populated: ConversationStore) -> None:
    sidebar = sidebar_for(qtbot, populated)
    index = sidebar.list.model().index(1, 0)
    sidebar.list.setFocus()
    sidebar.list.setCurrentIndex(index)
    qtbot.keyClick(sidebar.list, Qt.Key.Key_Menu)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    try:
        assert "Un&pin" in [a.text() for a in menu.actions()]
    finally:
        menu.close()


def editors(sidebar: ConversationSidebar) -> list[QLineEdit]:
    return [e for e in sidebar.list.viewport().findChildren(QLineEdit) if e.isVisible()]


def editor_of(sidebar: ConversationSidebar) -> QLineEdit:
    found = editors(sidebar)
    assert len(found) == 1
    return found[0]


def test_f2_renames_in_place_enter_keeps_it(qtbot: QtBot, populated: ConversationStore) -> None:
    sidebar = sidebar_for(qtbot, populated)
    index = sidebar.list.model().index(3, 0)
    conversation_id = index.data(Qt.ItemDataRole.UserRole + 2)
    sidebar.list.setFocus()
    sidebar.list.setCurrentIndex(index)
    qtbot.keyClick(sidebar.list, Qt.Key.Key_F2)
    editor = editor_of(sidebar)
    assert editor.text() == "Just now" and editor.selectedText() == "Just now"
    assert editor.accessibleName() == "Conversation title"
    qtbot.keyClicks(editor, "  Renamed in place ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not editors(sidebar))
    stored = populated.get_conversation(conversation_id)
    assert stored is not None and stored.title == "Renamed in place"
    assert "Renamed in place" in rows(sidebar)  # shown at once
    qtbot.waitUntil(lambda: sidebar.list.currentIndex().data(Qt.ItemDataRole.UserRole + 2) == conversation_id)


def test_esc_puts_the_title_back(qtbot: QtBot, populated: ConversationStore) -> None:
    sidebar = sidebar_for(qtbot, populated)
    conversation_id = sidebar.list.model().index(3, 0).data(Qt.ItemDataRole.UserRole + 2)
    sidebar.rename(conversation_id)  # what the menu's "Rename" does
    editor = editor_of(sidebar)
    qtbot.keyClicks(editor, "Never kept")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not editors(sidebar))
    stored = populated.get_conversation(conversation_id)
    assert stored is not None and stored.title == "Just now"
    assert "Never kept" not in rows(sidebar)


def test_a_reload_waits_while_a_title_is_edited(qtbot: QtBot, populated: ConversationStore) -> None:
    sidebar = sidebar_for(qtbot, populated)
    conversation_id = sidebar.list.model().index(3, 0).data(Qt.ItemDataRole.UserRole + 2)
    sidebar.rename(conversation_id)
    editor = editor_of(sidebar)
    add(populated, "Arrives meanwhile", 0)  # another window's new conversation
    qtbot.wait(300)
    assert editors(sidebar) == [editor] and "Arrives meanwhile" not in rows(sidebar)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "Arrives meanwhile" in rows(sidebar), timeout=2000)


def test_the_keyboard_steps_over_headers(qtbot: QtBot, populated: ConversationStore) -> None:
    sidebar = sidebar_for(qtbot, populated)
    view = sidebar.list
    view.setFocus()
    titles = lambda: view.currentIndex().data(Qt.ItemDataRole.AccessibleTextRole)  # noqa: E731
    view.setCurrentIndex(view.model().index(4, 0))  # "This morning", last of Today
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert titles() == "Last night"  # past "Yesterday"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert titles() == "This morning"
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert titles() == "Old pinned plan"  # not the "Pinned" header
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert titles() == "Old pinned plan"  # nothing above but the header
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert titles() == "A month ago"
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(0, 0)).center()
    )
    assert titles() == "A month ago"  # a header takes no click


def test_a_theme_switch_restyles_at_once(qtbot: QtBot, populated: ConversationStore) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    sidebar = sidebar_for(qtbot, populated)
    try:
        appearance.apply(app, "light")
        qtbot.waitUntil(
            lambda: (
                sidebar.new_button is not None
                and look.button_sheet(app.palette()) == sidebar.new_button.styleSheet()
            )
        )
        light = sidebar.grab().toImage().pixelColor(2, sidebar.height() - 2)
        appearance.apply(app, "dark")
        qtbot.waitUntil(
            lambda: (
                sidebar.new_button is not None
                and look.button_sheet(app.palette()) == sidebar.new_button.styleSheet()
            )
        )
        dark = sidebar.grab().toImage().pixelColor(2, sidebar.height() - 2)
        assert dark.lightness() < light.lightness()
        assert dark == look.background(app.palette())
    finally:
        appearance.apply(app, "system")
