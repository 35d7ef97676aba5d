"""The composer card: it grows with the text and stops growing at its limit, Send turns to Stop
while a reply streams, the chips show the model and mode and open their pickers, and the card's
ring follows the editor's focus."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.catalog.model import plain_models
from desktop_app.ui.conversation.composer import MAX_LINES, Composer
from desktop_app.ui.conversation.composer.card import ComposerCard
from desktop_app.ui.conversation.composer.send_button import send_button, show_busy
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import active_offline_window


@pytest.fixture
def card(qtbot: QtBot) -> ComposerCard:
    composer = Composer()
    card = ComposerCard(composer, send_button(composer))
    qtbot.addWidget(card)
    card.resize(500, 200)
    card.show()
    qtbot.waitExposed(card)
    return card


def test_the_editor_grows_a_line_at_a_time_then_scrolls(qtbot: QtBot, card: ComposerCard) -> None:
    composer = card.composer
    one = composer.height()
    assert composer.lines() == 1
    heights = [one]
    for lines in range(2, MAX_LINES + 4):
        composer.setPlainText("\n".join(["a line"] * lines))
        heights.append(composer.height())
    grown = heights[:MAX_LINES]
    assert grown == sorted(grown) and len(set(grown)) == MAX_LINES  # taller with every line
    assert set(heights[MAX_LINES - 1 :]) == {composer.height_for(MAX_LINES)}  # then no taller
    assert composer.verticalScrollBarPolicy() is Qt.ScrollBarPolicy.ScrollBarAsNeeded
    composer.clear()
    assert composer.height() == one  # and back to one line
    assert composer.verticalScrollBarPolicy() is Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_a_long_line_that_wraps_grows_it_too(qtbot: QtBot, card: ComposerCard) -> None:
    one = card.composer.height()
    card.composer.setPlainText("word " * 200)
    assert card.composer.height() > one


def test_the_send_button_is_a_plain_round_push_button_that_turns_to_stop(card: ComposerCard) -> None:
    button = card.send_button
    assert type(button) is QPushButton  # found by type among the window's buttons
    assert button.text() == "Send" and button.accessibleName() == "Send or stop"
    assert button.focusPolicy() is Qt.FocusPolicy.TabFocus  # a click leaves the keyboard in the editor
    show_busy(button, True)
    assert button.text() == "Stop" and "Esc" in button.toolTip()
    stop = button.grab().toImage()
    show_busy(button, False)
    assert button.text() == "Send" and "Enter" in button.toolTip()
    send = button.grab().toImage()
    assert stop != send  # another icon
    centre = send.pixelColor(send.width() // 2, 4)  # the circle's fill, off the icon
    assert centre == button.palette().color(QPalette.ColorRole.Highlight)


def test_the_ring_follows_the_editors_focus(qtbot: QtBot, card: ComposerCard) -> None:
    card.activateWindow()
    card.composer.setFocus()
    qtbot.waitUntil(card.editing)
    highlight = card.palette().color(QPalette.ColorRole.Highlight)
    image = card.grab().toImage()
    assert image.pixelColor(image.width() // 2, 1) == highlight
    card.send_button.setFocus()
    qtbot.waitUntil(lambda: not card.editing())
    image = card.grab().toImage()
    assert image.pixelColor(image.width() // 2, 1) != highlight


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    return active_offline_window(qtbot, tmp_path)


def test_in_the_window_send_turns_to_stop_while_a_reply_streams(window: ChatWindow) -> None:
    assert window.send_button.parent() is window.composer_card
    window.controller.busy_changed.emit(True)
    assert window.send_button.text() == "Stop"
    window.controller.busy_changed.emit(False)
    assert window.send_button.text() == "Send"


def test_the_chips_show_the_model_and_the_mode_and_open_their_pickers(
    qtbot: QtBot, window: ChatWindow
) -> None:
    chips = window.chips
    chips.show_models(plain_models(["gpt-a", "gpt-b"]), "gpt-b")
    assert chips.model_picker.currentText() == "gpt-b"
    assert chips.mode_picker.currentText() == "Chat"
    window.controller.access_changed.emit(ToolAccess(Mode.AGENT, "/tmp"))
    assert chips.mode_picker.currentText() == "Agent" and not chips.folder_button.isHidden()
    for picker in (chips.mode_picker, chips.model_picker):
        picker.showPopup()  # what a click or Alt+Down on the chip does
        qtbot.waitUntil(picker.view().isVisible)
        picker.hidePopup()
        qtbot.waitUntil(lambda p=picker: not p.view().isVisible())
    qtbot.mouseClick(chips.mode_picker, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(chips.mode_picker.view().isVisible)
    chips.mode_picker.hidePopup()
