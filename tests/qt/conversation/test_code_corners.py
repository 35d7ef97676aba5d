"""Code blocks' rounded corners are painted for the tables on screen only: a paint while a long
reply streams visits what the clip crosses, not every table the reply holds."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QTextDocument, QTextTable
from pytestqt.qtbot import QtBot

from desktop_app.ui.conversation.view.row_painter import _tables_within


def _document(tables: int) -> QTextDocument:
    body = "".join(
        f"<p>paragraph {i} before the code</p>"
        f'<table bgcolor="#eeeeee" cellpadding="8"><tr><td>'
        f"<pre>line a {i}\nline b {i}</pre></td></tr></table>"
        for i in range(tables)
    )
    document = QTextDocument()
    document.setTextWidth(600)
    document.setHtml(f"<html><body>{body}<p>the end</p></body></html>")
    return document


def _all_tables(document: QTextDocument) -> list[QTextTable]:
    return [frame for frame in document.rootFrame().childFrames() if isinstance(frame, QTextTable)]


def test_a_clip_over_one_table_finds_that_table_and_its_neighbours_only(qtbot: QtBot) -> None:
    document = _document(60)
    layout = document.documentLayout()
    tables = _all_tables(document)
    assert len(tables) == 60
    for index in (0, 17, 59):
        rect = layout.frameBoundingRect(tables[index])
        found = [table.firstPosition() for table in _tables_within(document, rect.adjusted(0, 1, 0, -1))]
        assert tables[index].firstPosition() in found
        assert len(found) <= 3


def test_a_clip_over_the_whole_document_finds_every_table_once(qtbot: QtBot) -> None:
    document = _document(25)
    size = document.documentLayout().documentSize()
    whole = QRectF(0, 0, size.width(), size.height())
    found = [table.firstPosition() for table in _tables_within(document, whole)]
    assert found == [table.firstPosition() for table in _all_tables(document)]


def test_a_clip_outside_the_document_finds_nothing_or_the_edge(qtbot: QtBot) -> None:
    document = _document(5)
    height = document.documentLayout().documentSize().height()
    assert _tables_within(document, QRectF(0, height + 100, 600, 50)) == []
    assert _tables_within(document, QRectF(0, -500, 600, 100)) == []
