"""Ctrl+K: full-text search over every message of every conversation, results as you type.

Matches are marked in the current theme's search colours (readable in dark mode too, checked in
the core's contrast tests), and the shown results are marked again when the theme switches.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.colours.tones import Tones
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.models import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit
from desktop_app.ui.platform.live_palette import follow_palette, tone

ResultRole = Qt.ItemDataRole.UserRole + 1


def snippet_html(snippet: str, tones: Tones | None = None) -> str:
    """Escape the snippet (it is message text), then mark the matches in the theme's colours."""
    tones = tones or tone()
    text = html.escape(snippet.replace("\n", " "))
    mark = f'<b style="background-color:{tones.search_match}; color:{tones.text}">'
    return text.replace(HIGHLIGHT_START, mark).replace(HIGHLIGHT_END, "</b>")


def hit_html(hit: SearchHit, tones: Tones) -> str:
    """One result: its conversation, when and who, and the snippet with its matches marked."""
    when = dt.datetime.fromtimestamp(hit.updated_at).strftime("%Y-%m-%d")
    who = {"user": "You", "assistant": "Copilot"}.get(hit.role.value, "Note")
    return sanitize.for_view(
        f"<b>{html.escape(hit.conversation_title or 'New conversation')}</b> "
        f'<span style="color:{tones.muted}">· {when} · {who}</span><br>{snippet_html(hit.snippet, tones)}'
    )


class SearchDialog(QDialog):
    """Signals:
    message_chosen(str, str): conversation id and message id of the chosen result.
    """

    message_chosen = Signal(str, str)

    def __init__(self, store: ConversationStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Search conversations")
        self.resize(640, 460)
        layout = QVBoxLayout(self)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Search every message…")
        self.query.setAccessibleName("Search")
        self.results = QListWidget(self)
        self.results.setAccessibleName("Search results")
        self.status = QLabel("", self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.run_search)
        self.query.textChanged.connect(self._debounce.start)
        self.query.returnPressed.connect(self.choose_current)
        self.results.itemActivated.connect(self._item_activated)
        self.query.installEventFilter(self)
        follow_palette(self, self._restyle)

    def _restyle(self) -> None:
        """Mark the shown results again in the theme of the moment."""
        tones = tone()
        for row in range(self.results.count()):
            item = self.results.item(row)
            label = self.results.itemWidget(item)
            hit = item.data(ResultRole)
            if isinstance(label, QLabel) and isinstance(hit, SearchHit):
                label.setText(hit_html(hit, tones))

    def show_search(self) -> None:
        self.query.selectAll()
        self.open()
        self.query.setFocus()

    @Slot()
    def run_search(self) -> None:
        self._debounce.stop()
        self.results.clear()
        text = self.query.text()
        if not text.strip():
            self.status.clear()
            return
        hits = self.store.search(text)
        for hit in hits:
            self._add(hit)
        if hits:
            self.results.setCurrentRow(0)
        self.status.setText(f"{len(hits)} result{'s' if len(hits) != 1 else ''}" if hits else "No matches")

    def _add(self, hit: SearchHit) -> None:
        label = QLabel(hit_html(hit, tone()))
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setContentsMargins(6, 4, 6, 4)
        item = QListWidgetItem(self.results)
        item.setData(ResultRole, hit)
        item.setSizeHint(label.sizeHint())
        self.results.setItemWidget(item, label)

    @Slot()
    def choose_current(self) -> None:
        if self._debounce.isActive():
            self.run_search()
        item = self.results.currentItem()
        if item is not None:
            self._item_activated(item)

    @Slot(QListWidgetItem)
    def _item_activated(self, item: QListWidgetItem) -> None:
        hit = item.data(ResultRole)
        if isinstance(hit, SearchHit):
            self.accept()
            self.message_chosen.emit(hit.conversation_id, hit.message_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down in the query field move through the results."""
        if (
            watched is self.query
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        ):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            return True
        return super().eventFilter(watched, event)
