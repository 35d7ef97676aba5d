"""The conversation's scroll bar: it draws only a rounded handle, in the colours of the theme the
view has now, where the style places it, so clicking and dragging it work as the style's own."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Message, Role
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.view.scroll_bar import ConversationScrollBar


def _view(qtbot: QtBot) -> ChatView:
    view = ChatView()
    view.resize(700, 500)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    messages = [
        Message(f"m{i}", "c", i + 1, Role.USER if i % 2 == 0 else Role.ASSISTANT, "Some prose. " * 80, i, i)
        for i in range(60)
    ]
    view.show_messages(messages)
    qtbot.waitUntil(lambda: view.verticalScrollBar().height() > 400)  # the scroll area lays it out
    return view


def _colours(bar: ConversationScrollBar) -> tuple[QColor, QColor]:
    """The track's colour and the handle's (its centre), as painted."""
    image = bar.grab().toImage()
    centre = bar.handle_rect().center().toPoint()
    return image.pixelColor(1, 1), image.pixelColor(centre)


def test_the_handle_is_drawn_where_the_style_puts_it_and_dragging_it_scrolls(qtbot: QtBot) -> None:
    view = _view(qtbot)
    bar = view.verticalScrollBar()
    assert isinstance(bar, ConversationScrollBar)
    assert bar.value() == bar.maximum() > 0  # at the end: the handle at the bottom
    handle = bar.handle_rect()
    assert bar.rect().contains(handle.toRect()) and handle.height() >= 8
    track, colour = _colours(bar)
    assert track == view.palette().color(QPalette.ColorRole.Base)
    assert colour.lightness() < track.lightness()  # light theme: a darker handle
    start = handle.center().toPoint()
    qtbot.mousePress(bar, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(bar, start - QPoint(0, bar.height() // 2))
    qtbot.mouseRelease(bar, Qt.MouseButton.LeftButton, pos=start - QPoint(0, bar.height() // 2))
    assert 0 < bar.value() < bar.maximum()  # dragged half way up


def test_the_handle_follows_a_dark_palette_at_once(qtbot: QtBot) -> None:
    view = _view(qtbot)
    bar = view.verticalScrollBar()
    assert isinstance(bar, ConversationScrollBar)
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    view.setPalette(dark)
    track, colour = _colours(bar)
    assert track == QColor("#1e1e1e")
    assert colour.lightness() > track.lightness()  # dark theme: a lighter handle


def test_nothing_to_scroll_shows_no_handle(qtbot: QtBot) -> None:
    view = ChatView()
    view.resize(700, 500)
    qtbot.addWidget(view)
    view.show()
    bar = view.verticalScrollBar()
    assert isinstance(bar, ConversationScrollBar)
    bar.resize(14, 300)
    image = bar.grab().toImage()
    points = [(x, y) for x in range(image.width()) for y in range(0, image.height(), 7)]
    colours = {image.pixelColor(x, y).name() for x, y in points}
    assert colours == {view.palette().color(QPalette.ColorRole.Base).name()}
