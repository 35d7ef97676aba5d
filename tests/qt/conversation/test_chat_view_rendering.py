"""What the chat view shows: Markdown as rich text, model output kept inert (no raw HTML, only web
links open, no forged copy links), the copy links, the theme, and wrapping of huge words."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from desktop_app.ui.conversation import conversation_document as document_module
from desktop_app.ui.conversation.chat_view import ChatView
from tests.model_server import MARKDOWN_REPLY


def test_raw_html_and_script_are_shown_as_text(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.add_user_message("<b>not bold</b>")
    view.begin_assistant()
    view.append_delta(
        '<script>alert("x")</script>\n\n<img src="file:///etc/passwd">\n\n![pic](file:///etc/hosts)'
    )
    view.finish_assistant()
    html = view.toHtml()
    text = view.toPlainText()
    assert "<script>" in text
    assert "<b>not bold</b>" in text
    assert "<script" not in html.replace("&lt;script", "")
    assert "<img" not in html
    assert "file:///etc/hosts" not in html


def test_markdown_renders_rich_text(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_delta(MARKDOWN_REPLY)
    view.finish_assistant()
    html = view.toHtml()
    text = view.toPlainText()
    assert "Scripted heading" in text
    assert "**" not in text and "```" not in text
    heading_pt = f"{view.font().pointSizeF() * 1.5:g}pt"  # h1 is 1.5x the system font size
    assert f"font-size:{heading_pt}" in html  # the heading is a heading
    assert "#f3f4f6" in html  # the code block box


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
    monkeypatch.setattr(document_module.QDesktopServices, "openUrl", lambda u: calls.append(u.toString()))
    view = ChatView()
    qtbot.addWidget(view)
    view.anchorClicked.emit(QUrl(url))
    assert bool(calls) is opened


def test_copy_links_copy_code_text_and_markdown(qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication

    view = ChatView()
    qtbot.addWidget(view)
    copied: list[str] = []
    view.copied.connect(copied.append)
    source = "Run this:\n\n```python\nprint('hi')\n```\n\nThen **done**."
    view.begin_assistant()
    view.append_delta(source)
    view.finish_assistant()
    html = view.toHtml()
    assert ">python<" in html  # the language label
    keys = re.findall(r'href="copy:(code-[0-9a-f]+|message-[0-9a-f]+|markdown-[0-9a-f]+)"', html)
    assert {k.split("-")[0] for k in keys} == {"code", "message", "markdown"}
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    by_kind = {k.split("-")[0]: k for k in keys}
    view.anchorClicked.emit(QUrl(f"copy:{by_kind['code']}"))
    assert clipboard.text() == "print('hi')"
    view.anchorClicked.emit(QUrl(f"copy:{by_kind['markdown']}"))
    assert clipboard.text() == source
    view.anchorClicked.emit(QUrl(f"copy:{by_kind['message']}"))
    assert clipboard.text() == "Run this:\nprint('hi')\nThen done."
    assert copied == [
        "Code copied to the clipboard.",
        "Markdown copied to the clipboard.",
        "Message copied to the clipboard.",
    ]


def test_a_reply_cannot_forge_a_copy_link(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    view.append_delta("[click me](copy:code-0000) <a href='copy:markdown-1'>x</a>")
    view.finish_assistant()
    html = view.toHtml()
    assert 'href="copy:code-0000"' not in html and 'href="copy:markdown-1"' not in html
    assert "&lt;a href='copy:markdown-1'&gt;" in html  # shown as text, not a link


def test_dark_theme_colours_the_conversation(qtbot: QtBot) -> None:
    from desktop_app.core.rendering.theme import DARK, LIGHT, theme_for

    assert theme_for(20) is DARK and theme_for(240) is LIGHT
    view = ChatView(theme=DARK)
    qtbot.addWidget(view)
    view.add_user_message("hello")
    view.begin_assistant()
    view.append_delta("```python\nx = 1\n```")
    view.finish_assistant()
    view.add_notice("careful", "warning")
    html = view.toHtml().lower()
    for colour in (DARK.user_background, DARK.code_background, DARK.notices["warning"]):
        assert colour in html
    assert LIGHT.user_background not in html


def test_huge_words_and_lines_wrap_instead_of_stretching(qtbot: QtBot) -> None:
    view = ChatView()
    view.resize(600, 400)
    qtbot.addWidget(view)
    view.show()
    blob = "A" * 100_000
    view.begin_assistant()
    view.append_delta(f"Here: {blob}\n\n```\n{'x' * 50_000}\n```\n")
    view.finish_assistant()
    assert blob in view.toPlainText().replace("\n", "")
    assert view.horizontalScrollBar().maximum() < 2_000  # the 100 KB word wrapped
    assert view.document().size().height() > 1_000


def test_the_theme_follows_the_system_palette(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor, QPalette

    from desktop_app.core.rendering.theme import DARK

    view = ChatView()
    qtbot.addWidget(view)
    assert view.theme.name == "light"
    changes: list[str] = []
    view.theme_changed.connect(changes.append)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#0d1117"))
    view.setPalette(palette)
    assert changes == ["dark"] and view.theme is DARK
    view.add_user_message("after the switch")
    assert DARK.user_background in view.toHtml().lower()
