"""Ctrl+R in the composer: a small popup over it that searches earlier prompts as you type.

Up and Down (or Ctrl+R again) pick one, Enter puts it in the composer, Esc closes the popup. The
prompts are the user's own text: shown as plain text, one line each, the whole prompt in the tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop_app.core.conversation.prompt_history import search

ROWS = 8  # prompts in view at once
NOTHING = "No earlier prompt matches"


def one_line(prompt: str) -> str:
    """A prompt's first non-blank line (with … when there is more), for a row of the list."""
    lines = [line.strip() for line in prompt.splitlines() if line.strip()]
    return (lines[0][:300] + (" …" if len(lines) > 1 else "")) if lines else ""


class HistorySearch(QFrame):
    """Signals:
    chosen(str): the prompt picked (Enter, or a click); the popup has closed.
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Search earlier prompts")
        self._prompts: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Search earlier prompts")
        self.query.setAccessibleName("Search earlier prompts")
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setAccessibleName("Earlier prompts")
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setUniformItemSizes(True)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the search field
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        self.query.textChanged.connect(self._filter)
        self.query.installEventFilter(self)
        self.results.itemClicked.connect(self._clicked)

    def open(self, prompts: Sequence[str], anchor: QWidget) -> None:
        """Show over ``anchor`` (the composer), as wide as it, with every prompt listed."""
        self._prompts = list(prompts)
        self.query.clear()
        self._filter("")
        rows = self.results.sizeHintForRow(0) if self.results.count() else self.fontMetrics().height()
        self.results.setFixedHeight(rows * ROWS + 2 * self.results.frameWidth())
        self.resize(max(anchor.width(), 320), self.sizeHint().height())
        top_left = anchor.mapToGlobal(QPoint(0, 0))
        self.move(top_left.x(), max(0, top_left.y() - self.height() - 4))
        self.show()
        self.query.setFocus()

    def shown(self) -> list[str]:
        """The rows' texts, as listed (for tests)."""
        return [self.results.item(i).text() for i in range(self.results.count())]

    def current(self) -> str | None:
        item = self.results.currentItem()
        prompt = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return prompt if isinstance(prompt, str) else None

    def _filter(self, query: str) -> None:
        self.results.clear()
        for prompt in search(self._prompts, query):
            item = QListWidgetItem(one_line(prompt))
            item.setData(Qt.ItemDataRole.UserRole, prompt)
            item.setToolTip(prompt[:2000])
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        else:
            placeholder = QListWidgetItem(NOTHING)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(placeholder)

    def _move(self, step: int) -> None:
        count = self.results.count()
        if count and self.current() is not None:
            self.results.setCurrentRow((self.results.currentRow() + step) % count)

    def _choose(self) -> None:
        prompt = self.current()
        if prompt is not None:
            self.close()
            self.chosen.emit(prompt)

    def _clicked(self, item: QListWidgetItem) -> None:
        self.results.setCurrentItem(item)
        self._choose()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key, control = event.key(), event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if key == Qt.Key.Key_Down or (control and key == Qt.Key.Key_R):
                self._move(1)
                return True
            if key == Qt.Key.Key_Up:
                self._move(-1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose()
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)
