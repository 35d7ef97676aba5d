"""Model text in Qt widgets stays inert: the view loads no resource, labels and tooltips are text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Message, Role
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.safe_document import NoResourceDocument
from desktop_app.ui.conversation.view.row_document import RowDocument
from desktop_app.ui.conversation.view.rows import Row, RowKind
from desktop_app.ui.sidebar.conversation_list import ConversationListModel
from desktop_app.ui.window.status_bar import ChatStatusBar
from tests.unit.rendering.test_sanitize_fuzz import MARKDOWN

HOSTILE = (
    '<p>before <img src="file:///dev/zero"> <img src="/etc/passwd"> '
    '<img src="qrc:/x.png"> <img src="https://evil.example/i.png"> after</p>'
)


def _documents(view: ChatView) -> list[RowDocument]:
    return [view.document_for(index) for index in range(len(view.rows))]


def test_the_views_documents_load_nothing_they_are_pointed_at(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    document = view.new_document()
    assert isinstance(document, NoResourceDocument)
    # Straight into the document, past the sanitizer: Qt itself must not read a file.
    document.setHtml(HOSTILE)
    view.insert_row(0, Row("hostile", RowKind.REPLY, "x"), document)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    view.viewport().repaint()  # layout and paint ask for the images
    assert {"file:///dev/zero", "/etc/passwd"} <= document.refused
    for name in ("file:///dev/zero", "/etc/passwd"):
        assert document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name)) is None
    assert "before" in view.toPlainText() and "after" in view.toPlainText()  # and the app goes on
    cursor = QTextCursor(document)
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertHtml('more<img src="/dev/zero">')
    view.viewport().repaint()
    assert "more" in view.toPlainText()
    sheet = '<link rel="stylesheet" type="text/css" href="/etc/shadow">'
    document.setHtml(f"<html><head>{sheet}</head><body>x</body></html>")
    assert "/etc/shadow" in document.refused  # stylesheets too


def test_a_hostile_reply_leaves_the_view_alive_and_inert(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    reply = (
        '```{#x .y data-a="<img src=/dev/zero onerror=alert(1)>"}\nhi\n```\n\n'
        "See [the host](http://[host]/x) and <http://[::1/>.\n\n"
        + "[" * 3000
        + "\n\n"
        + "> " * 300
        + "deep\n\n<img src=/dev/zero> done"
    )
    view.begin_assistant()
    for start in range(0, len(reply), 97):
        view.append_delta(reply[start : start + 97])
        view._render_tick()
    view.finish_assistant()
    text = view.toPlainText()
    assert "the host" in text and "done" in text and "<img src=/dev/zero>" in text  # shown as text
    assert all(not document.refused for document in _documents(view))  # nothing through that asks
    view.show_messages([Message("m", "c", 1, Role.ASSISTANT, reply, 0.0, 0.0)])
    assert "done" in view.toPlainText()


def test_conversation_titles_in_tooltips_are_text(qtbot: QtBot, tmp_path: Path) -> None:
    store = ConversationStore(open_database(tmp_path).connection)
    conversation = store.create_conversation()
    store.rename(conversation.id, '<img src="/dev/zero"><b>Title</b>')
    model = ConversationListModel(store)
    tip = model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith('<p>&lt;img src="/dev/zero"&gt;&lt;b&gt;Title&lt;/b&gt;<br>')
    assert model.index(0).data() == '<img src="/dev/zero"><b>Title</b>'  # drawn as plain text


def test_mcp_status_is_text(qtbot: QtBot) -> None:
    bar = ChatStatusBar()
    qtbot.addWidget(bar)
    bar.show_mcp("MCP <b>0</b>/1", "evil: failed <img src=/dev/zero>")
    assert bar.mcp_label.textFormat() == Qt.TextFormat.PlainText
    assert bar.mcp_label.toolTip() == "<p>evil: failed &lt;img src=/dev/zero&gt;</p>"


def test_a_plain_document_would_read_the_file_this_one_does_not(qtbot: QtBot, tmp_path: Path) -> None:
    """The threat is real: Qt's own document reads a local path named in HTML; ours never does."""
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    html = f'<img src="{secret}">'
    url = QUrl(str(secret))
    plain = QTextDocument()
    plain.setHtml(html)
    assert plain.resource(QTextDocument.ResourceType.ImageResource, url) is not None  # read from disk
    safe = NoResourceDocument()
    safe.setHtml(html)
    assert safe.resource(QTextDocument.ResourceType.ImageResource, url) is None
    assert str(secret) in safe.refused


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=MARKDOWN, cuts=st.lists(st.integers(1, 60), max_size=8))
def test_any_reply_streams_into_the_view_without_asking_for_a_resource(
    qtbot: QtBot, text: str, cuts: list[int]
) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.begin_assistant()
    position = 0
    for cut in cuts:
        view.append_delta(text[position : position + cut])
        position += cut
        view._render_tick()
    view.append_delta(text[position:])
    view.finish_assistant()
    view.show_messages([Message("m", "c", 1, Role.ASSISTANT, text, 0.0, 0.0)])
    view.viewport().repaint()
    assert all(isinstance(d, NoResourceDocument) and not d.refused for d in _documents(view))
    view.deleteLater()
