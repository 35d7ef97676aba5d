"""Where the user types: Enter sends, Shift+Enter adds a line, Esc stops a streaming reply.

It grows with its text from one line to ``MAX_LINES`` (wrapped lines count), then scrolls.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QKeyCombination, QMimeData, QSizeF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

WINDOW_SHORTCUTS = {
    QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_K),
    QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_T),
}
MAX_LINES = 8  # the most it grows to before it scrolls


class Composer(QPlainTextEdit):
    """Prompt editor, frameless: the card around it draws the frame.

    Signals:
        send_requested(str): the user pressed Enter with text to send.
        stop_requested(): the user pressed Esc.
    """

    send_requested = Signal(str)
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Ask anything…")
        self.setAccessibleName("Message")
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.viewport().setAutoFillBackground(False)  # the card's background shows through
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit(QSizeF())
        # Attachments (set by the window): a paste or drop of files, an image or a huge text goes to
        # them when this returns True; ``has_attachments`` lets Enter send a prompt with no text.
        self.take_mime: Callable[[QMimeData], bool] | None = None
        self.has_attachments: Callable[[], bool] = lambda: False

    def lines(self) -> int:
        """Visual lines of text (wrapped lines count), at least one."""
        return max(1, int(self.document().documentLayout().documentSize().height()))

    def height_for(self, lines: int) -> int:
        """The widget's height showing ``lines`` lines (its margins and the document's included)."""
        margins = self.contentsMargins()
        document = int(2 * self.document().documentMargin())
        return lines * self.fontMetrics().lineSpacing() + document + margins.top() + margins.bottom()

    def _fit(self, _size: QSizeF) -> None:
        """Grow or shrink to the text, within one to ``MAX_LINES`` lines."""
        lines = self.lines()
        # The scroll bar only once the text outgrows the card (Qt would show it a line early).
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if lines > MAX_LINES
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        if self.verticalScrollBarPolicy() != policy:
            self.setVerticalScrollBarPolicy(policy)
        height = self.height_for(min(lines, MAX_LINES))
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.FontChange:
            self._fit(QSizeF())

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
        if text.strip() or self.has_attachments():
            self.send_requested.emit(text)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        attachable = source.hasImage() or source.hasUrls()
        return (self.take_mime is not None and attachable) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if self.take_mime is None or not self.take_mime(source):
            super().insertFromMimeData(source)
