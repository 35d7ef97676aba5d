"""Find in the conversation (Ctrl+F): every match highlighted across the whole conversation, with
its count, next and previous; Esc closes it and the highlights go."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from desktop_app.ui.conversation.view.interactive_view import InteractiveView
from desktop_app.ui.platform.icons import icon

DEBOUNCE_MS = 120  # a 5 MB conversation is searched once the typing pauses, not per key


class FindBar(QWidget):
    """Signals:
    closed(): the bar was closed (focus goes back to where the user types).
    """

    closed = Signal()

    def __init__(self, view: InteractiveView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._view = view
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in conversation")
        self.field.setAccessibleName("Find in conversation")
        self.field.setClearButtonEnabled(True)
        self.count = QLabel("", self)
        self.count.setAccessibleName("Matches")
        self.count.setMinimumWidth(90)
        self.previous = self._button("previous", "Previous match (Shift+Enter)")
        self.next = self._button("next", "Next match (Enter)")
        self.close_button = self._button("close", "Close (Esc)")
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.previous)
        layout.addWidget(self.next)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.field.textChanged.connect(lambda _text: self._timer.start())
        self.field.installEventFilter(self)
        self.previous.clicked.connect(lambda: self.step(False))
        self.next.clicked.connect(lambda: self.step(True))
        self.close_button.clicked.connect(self.close_bar)
        self.hide()

    def _button(self, name: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(name))
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        return button

    def open_bar(self) -> None:
        """Show the bar with its text selected (a second Ctrl+F searches anew)."""
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text():
            self.search_now()

    @Slot()
    def close_bar(self) -> None:
        self._timer.stop()
        self._view.clear_find()
        self.hide()
        self.closed.emit()

    @Slot()
    def search_now(self) -> None:
        self._timer.stop()
        self._view.find_text(self.field.text())
        self._show_count()

    def step(self, forward: bool) -> None:
        if self._timer.isActive() or self._view.find_query != self.field.text():
            self.search_now()
            return
        self._view.find_step(forward)
        self._show_count()

    def _show_count(self) -> None:
        results = self._view.find_results
        if not self.field.text():
            self.count.setText("")
        elif results is None or not results.total:
            self.count.setText("No matches")
        else:
            self.count.setText(f"{results.current + 1} of {results.total}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F3):
                self.step(not event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                return True
        return False
