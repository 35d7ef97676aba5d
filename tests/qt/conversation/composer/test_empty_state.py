"""The empty conversation: the app's mark, a title, suggested prompts that fill the composer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.ui.conversation.composer import Composer
from desktop_app.ui.conversation.composer.empty_state import MARK, SUGGESTIONS, EmptyState
from tests.qt.offline_window import active_offline_window


def test_it_shows_the_mark_a_title_and_the_suggestions(qtbot: QtBot) -> None:
    composer = Composer()
    state = EmptyState(composer)
    qtbot.addWidget(composer)
    qtbot.addWidget(state)
    assert MARK.exists()
    assert not state.mark.pixmap().isNull()
    assert state.title.text()
    assert [b.text() for b in state.buttons] == [text for text, _ in SUGGESTIONS]
    assert 3 <= len(state.buttons) <= 4


def test_a_suggestion_fills_the_composer_and_focuses_it_without_sending(qtbot: QtBot, tmp_path: Path) -> None:
    window = active_offline_window(qtbot, tmp_path)
    sent: list[str] = []
    window.composer.send_requested.connect(sent.append)
    state = window.empty_state
    assert state.parent() is window.view.viewport()  # the view shows it while it is empty
    button = next(b for b in state.buttons if b.text() == "Write a shell one-liner")
    button.setFocus()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.composer.toPlainText() == "Write a shell one-liner that "
    assert window.composer.textCursor().atEnd()
    qtbot.waitUntil(window.composer.hasFocus)
    assert sent == []


def test_what_was_typed_is_kept_after_the_suggestion(qtbot: QtBot) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    state = EmptyState(composer)
    qtbot.addWidget(state)
    composer.setPlainText("def f(): pass")
    state.buttons[0].click()
    assert composer.toPlainText().startswith("Explain") and composer.toPlainText().endswith("def f(): pass")
