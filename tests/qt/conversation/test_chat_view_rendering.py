"""What the chat view shows: Markdown as rich text, model output kept inert (no raw HTML, only web
links open, no forged copy links), the copy actions, the theme, and wrapping of huge words."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.rendering.turn_html import BODY_PX
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.view import interactive_view
from tests.model_server import MARKDOWN_REPLY


def _reply(view: ChatView, text: str) -> None:
    view.begin_assistant()
    view.append_delta(text)
    view.finish_assistant()


def test_raw_html_and_script_are_shown_as_text(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.add_user_message("<b>not bold</b>")
    _reply(view, '<script>alert("x")</script>\n\n<img src="file:///etc/passwd">\n\n![pic](file:///etc/hosts)')
    html = view.toHtml()
    text = view.toPlainText()
    assert "<script>" in text
    assert "<b>not bold</b>" in text
    assert "<script" not in html.replace("&lt;script", "")
    assert "<img" not in html
    assert "file:///etc/hosts" not in html


def test_markdown_renders_rich_text_in_reading_type(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    _reply(view, MARKDOWN_REPLY)
    html = view.toHtml()
    text = view.toPlainText()
    assert "Scripted heading" in text
    assert "**" not in text and "```" not in text
    sizes = [float(size) for size in re.findall(r"font-size:(\d+(?:\.\d+)?)px", html)]
    body = view._font_px
    assert body >= BODY_PX and body * 1.3 < max(sizes) < body * 1.6  # a heading, not twice the body
    assert view.theme.code_background in html.lower()  # the code block's box


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("https://example.org/x", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
    ],
)
def test_only_http_links_open(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, url: str, opened: bool) -> None:
    calls: list[str] = []
    monkeypatch.setattr(interactive_view.QDesktopServices, "openUrl", lambda u: calls.append(u.toString()))
    view = ChatView()
    qtbot.addWidget(view)
    view.open_link(QUrl(url))
    assert bool(calls) is opened


def test_code_header_copy_link_and_the_message_actions_copy(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    copied: list[str] = []
    view.copied.connect(copied.append)
    source = "Run this:\n\n```python\nprint('hi')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nThen **done**."
    _reply(view, source)
    html = view.toHtml()
    assert ">python<" in html  # the language label in the block's header
    keys = re.findall(r'href="copy:(code-[0-9a-f]+)"', html)
    assert len(keys) == 1
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    view.open_link(QUrl(f"copy:{keys[0]}"))
    assert clipboard.text() == "print('hi')"
    names = [action.name for action in view.message_actions.for_row(view.rows[0])]
    assert names[:2] == ["Copy", "Copy as markdown"]
    view.copy_markdown(0)
    assert clipboard.text() == source  # the table and list survive as markdown
    view.copy_message(0)
    assert clipboard.text().startswith("Run this:\nprint('hi')") and clipboard.text().endswith("Then done.")
    assert "Copilot" not in clipboard.text()  # the author's label is not part of the message
    assert copied == [
        "Code copied to the clipboard.",
        "Markdown copied to the clipboard.",
        "Message copied to the clipboard.",
    ]


def test_a_reply_cannot_forge_a_copy_link(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    _reply(view, "[click me](copy:code-0000) <a href='copy:markdown-1'>x</a>")
    html = view.toHtml()
    assert 'href="copy:code-0000"' not in html and 'href="copy:markdown-1"' not in html
    assert "&lt;a href='copy:markdown-1'&gt;" in html  # shown as text, not a link


def test_dark_theme_colours_the_conversation(qtbot: QtBot) -> None:
    from desktop_app.core.rendering.theme import DARK, LIGHT, theme_for

    assert theme_for(20) is DARK and theme_for(240) is LIGHT
    view = ChatView(theme=DARK)
    qtbot.addWidget(view)
    view.add_user_message("hello")
    _reply(view, "```python\nx = 1\n```")
    html = view.toHtml().lower()
    assert DARK.code_background in html and DARK.code_header in html
    assert LIGHT.code_background not in html


def test_huge_words_and_lines_wrap_instead_of_stretching(qtbot: QtBot) -> None:
    view = ChatView()
    view.resize(600, 400)
    qtbot.addWidget(view)
    view.show()
    blob = "A" * 100_000
    _reply(view, f"Here: {blob}\n\n```\n{'x' * 50_000}\n```\n")
    assert blob in view.toPlainText().replace("\n", "")
    document = view.document_for(0)
    assert document.size().width() <= view.column.text_width(view.rows[0].kind) + 1  # wrapped
    assert document.size().height() > 1_000


def test_the_theme_follows_the_system_palette(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor, QPalette

    from desktop_app.core.rendering.theme import DARK

    view = ChatView()
    qtbot.addWidget(view)
    assert view.theme.name == "light"
    _reply(view, "```python\nx = 1\n```")
    changes: list[str] = []
    view.theme_changed.connect(changes.append)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#0d1117"))
    view.setPalette(palette)
    assert changes == ["dark"] and view.theme is DARK
    assert DARK.code_background in view.toHtml().lower()  # the saved reply too, at once
    view.add_user_message("after the switch")
    assert "after the switch" in view.toPlainText()
