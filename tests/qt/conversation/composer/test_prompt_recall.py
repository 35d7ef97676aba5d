"""Earlier prompts in the composer: Up and Down walk them from an empty composer, Esc and editing
leave the walk, Ctrl+R searches them in a popup (type to filter, Enter inserts, Esc closes)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Role
from desktop_app.ui.conversation.composer import Composer
from desktop_app.ui.conversation.composer.prompt_recall import PromptRecall
from tests.conftest import wait_until
from tests.qt.offline_window import active_offline_window, store_of

PROMPTS = ["newest\nsecond line", "middle one", "oldest"]
UP, DOWN, ESC = Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Escape


def composer_with_history(qtbot: QtBot, prompts: list[str] | None = None) -> tuple[Composer, PromptRecall]:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.show()
    composer.activateWindow()
    qtbot.waitUntil(composer.isActiveWindow)
    recall = PromptRecall(composer, lambda: list(PROMPTS if prompts is None else prompts))
    composer.setFocus()
    return composer, recall


def test_up_walks_older_prompts_and_down_comes_back_to_the_empty_draft(qtbot: QtBot) -> None:
    composer, recall = composer_with_history(qtbot)
    qtbot.keyClick(composer, UP)
    assert composer.toPlainText() == "newest\nsecond line" and recall.walking
    assert composer.textCursor().atEnd()  # on its last line: Down would go back at once
    qtbot.keyClick(composer, UP)  # on the last line of a two-line prompt: the cursor moves up first
    assert composer.toPlainText() == "newest\nsecond line"
    assert composer.textCursor().blockNumber() == 0
    qtbot.keyClick(composer, UP)
    assert composer.toPlainText() == "middle one"
    qtbot.keyClick(composer, UP)
    qtbot.keyClick(composer, UP)  # the oldest stays
    assert composer.toPlainText() == "oldest"
    qtbot.keyClick(composer, DOWN)
    qtbot.keyClick(composer, DOWN)
    assert composer.toPlainText() == "newest\nsecond line"
    qtbot.keyClick(composer, DOWN)
    assert composer.toPlainText() == "" and not recall.walking


def test_up_never_recalls_over_text_being_written(qtbot: QtBot) -> None:
    composer, recall = composer_with_history(qtbot)
    qtbot.keyClicks(composer, "my own words")
    qtbot.keyClick(composer, UP)
    assert composer.toPlainText() == "my own words" and not recall.walking


def test_editing_a_recalled_prompt_or_esc_leaves_the_walk(qtbot: QtBot) -> None:
    composer, recall = composer_with_history(qtbot)
    stops: list[bool] = []
    composer.stop_requested.connect(lambda: stops.append(True))
    qtbot.keyClick(composer, UP)
    qtbot.keyClick(composer, UP)
    qtbot.keyClick(composer, UP)
    assert composer.toPlainText() == "middle one"
    qtbot.keyClick(composer, ESC)
    assert composer.toPlainText() == "" and not recall.walking and stops == []  # Esc left the walk only
    qtbot.keyClick(composer, ESC)
    assert stops == [True]  # and now stops a reply, as before
    qtbot.keyClick(composer, UP)
    qtbot.keyClicks(composer, "!")
    assert composer.toPlainText() == "newest\nsecond line!" and not recall.walking
    qtbot.keyClick(composer, DOWN)  # no walk: Down is the cursor's again
    assert composer.toPlainText() == "newest\nsecond line!"


def test_ctrl_r_searches_and_enter_inserts(qtbot: QtBot) -> None:
    composer, recall = composer_with_history(qtbot)
    qtbot.keyClick(composer, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    search = recall.search
    qtbot.waitUntil(search.isVisible)
    assert search.query.hasFocus()
    assert search.shown() == ["newest …", "middle one", "oldest"]
    qtbot.keyClicks(search.query, "ST")
    assert search.shown() == ["newest …", "oldest"]  # in any case, newest first
    qtbot.keyClick(search.query, DOWN)
    qtbot.keyClick(search.query, Qt.Key.Key_Return)
    assert not search.isVisible()
    assert composer.toPlainText() == "oldest" and composer.hasFocus()
    qtbot.keyClicks(composer, " and ")
    qtbot.keyClick(composer, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(search.query, "zzz")
    assert search.shown() == ["No earlier prompt matches"]
    qtbot.keyClick(search.query, Qt.Key.Key_Return)  # nothing to insert: stays open
    assert search.isVisible()
    qtbot.keyClick(search.query, ESC)
    assert not search.isVisible() and composer.toPlainText() == "oldest and "


def test_a_search_pick_goes_in_at_the_cursor(qtbot: QtBot) -> None:
    composer, recall = composer_with_history(qtbot)
    composer.setPlainText("before  after")
    cursor = composer.textCursor()
    cursor.setPosition(len("before "))
    composer.setTextCursor(cursor)
    recall.open_search()
    qtbot.keyClicks(recall.search.query, "middle")
    qtbot.keyClick(recall.search.query, Qt.Key.Key_Enter)
    assert composer.toPlainText() == "before middle one after"


@pytest.mark.asyncio
async def test_the_window_recalls_this_conversations_prompts_first_then_all(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = active_offline_window(qtbot, tmp_path, ("Alpha plans", "Beta notes"))
    store = store_of(window)
    alpha = next(c for c in store.list_conversations() if c.title == "Alpha plans")
    beta = next(c for c in store.list_conversations() if c.title == "Beta notes")
    store.add_message(alpha.id, Role.USER, "alpha follow-up", created_at=time.time() - 60)
    store.add_message(beta.id, Role.USER, "newest of all, in beta")
    assert window.sending.earlier_prompts()[0] == "newest of all, in beta"  # a new conversation: all
    window.open_conversation(alpha.id)
    await wait_until(lambda: window.controller.conversation is not None)
    assert window.sending.earlier_prompts() == [
        "hello from Alpha plans",
        "alpha follow-up",
        "newest of all, in beta",
        "hello from Beta notes",
    ]
    window.composer.setFocus()
    qtbot.keyClick(window.composer, UP)
    assert window.composer.toPlainText() == "hello from Alpha plans"
