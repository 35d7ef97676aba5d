"""Light, dark or the system's look, for every window at once; text follows the system font size."""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.settings import appearance


def test_a_manual_dark_choice_restyles_the_chat_and_its_code(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    view = ChatView()
    qtbot.addWidget(view)
    changed: list[str] = []
    view.theme_changed.connect(changed.append)
    try:
        appearance.apply(app, "dark")
        qtbot.waitUntil(lambda: view.theme.name == "dark", timeout=2000)
        assert "dark" in changed
        assert view.theme.pygments_style == "github-dark"
        appearance.apply(app, "light")
        qtbot.waitUntil(lambda: view.theme.name == "light", timeout=2000)
    finally:
        appearance.apply(app, "system")


def test_conversation_text_follows_the_system_font_size(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    font = QFont(view.font())
    font.setPointSizeF(16.0)
    view.setFont(font)  # what a larger system font does
    view.begin_assistant()
    view.append_delta("# Title\n\nBody text.")
    view.finish_assistant()
    document = view.document_for(0)
    assert "body { font-size: 21px; }" in document.defaultStyleSheet()  # 16 pt at 96 dpi
    block = document.findBlock(document.toPlainText().index("Title"))
    assert block.begin().fragment().charFormat().font().pixelSize() == round(round(16 * 96 / 72) * 1.45)
    small = ChatView()
    qtbot.addWidget(small)
    font.setPointSizeF(8.0)
    small.setFont(font)  # a small system font still reads at the reading size
    assert "body { font-size: 15px; }" in small.new_document().defaultStyleSheet()


def test_back_to_system_hands_the_palette_back_to_the_platform_theme() -> None:
    """A pinned palette would ignore the desktop's later light/dark switches."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    platform = app.palette().color(QPalette.ColorRole.Window)
    appearance.apply(app, "dark")
    assert app.palette().color(QPalette.ColorRole.Window) != platform
    appearance.apply(app, "system")
    assert app.palette().color(QPalette.ColorRole.Window) == platform
    assert app.palette().resolveMask() == 0  # nothing pinned: theme changes flow through
