"""Where the user types: Enter sends, Shift+Enter adds a line, Esc stops a streaming reply."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

WINDOW_SHORTCUTS = {
    QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_K),
    QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_T),
}


class Composer(QPlainTextEdit):
    """Prompt editor.

    Signals:
        send_requested(str): the user pressed Enter with text to send.
        stop_requested(): the user pressed Esc.
    """

    send_requested = Signal(str)
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Ask Copilot…")
        self.setAccessibleName("Message")
        self.setTabChangesFocus(True)
        self.setMaximumHeight(96)
        self.setMinimumHeight(56)

    def event(self, event: QEvent) -> bool:
        # Ctrl+K is "delete to end of line" in Qt's text editors; here it is the window's search.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            combo = event.keyCombination()
            if combo in WINDOW_SHORTCUTS:
                event.ignore()
                return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submit()
            return
        if key == Qt.Key.Key_Escape:
            self.stop_requested.emit()
            return
        super().keyPressEvent(event)

    def submit(self) -> None:
        text = self.toPlainText()
        if text.strip():
            self.send_requested.emit(text)
