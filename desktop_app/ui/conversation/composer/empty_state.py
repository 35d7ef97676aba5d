"""What an empty conversation shows: the app's mark, a title and a few prompts to start from.

A prompt clicked goes into the composer, which takes the keyboard; nothing is sent until the user
sends it (they may want to finish the sentence first).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.ui.platform.icons import icon

MARK = Path(__file__).resolve().parents[4] / "resources" / "copilot-desktop.svg"
MARK_SIDE = 56
TITLE = "How can I help?"
# (button text, what it puts in the composer): the text ends where the user carries on.
SUGGESTIONS = (
    ("Explain a piece of code", "Explain what this code does, step by step:\n\n"),
    ("Write a shell one-liner", "Write a shell one-liner that "),
    ("Summarize a text", "Summarize this text in a few bullet points:\n\n"),
    ("Draft an email", "Draft a short, friendly email to "),
)


class EmptyState(QWidget):
    """Signals:
    prompt_chosen(str): a suggestion was clicked; its prompt is now in the composer.
    """

    prompt_chosen = Signal(str)

    def __init__(self, composer: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._composer = composer
        self.setObjectName("EmptyState")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.mark = QLabel(self)
        self.mark.setAccessibleName("Copilot Desktop")
        mark = QIcon(str(MARK)) if MARK.exists() else icon("mark")
        self.mark.setPixmap(mark.pixmap(QSize(MARK_SIDE, MARK_SIDE), self.devicePixelRatioF()))
        self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.mark)
        self.title = QLabel(TITLE, self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        layout.addWidget(self.title)
        layout.addSpacing(8)
        self.buttons: list[QPushButton] = []
        for text, prompt in SUGGESTIONS:
            button = QPushButton(text, self)
            button.setToolTip(prompt.strip())
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(260)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _checked=False, p=prompt: self.choose(p))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
            self.buttons.append(button)
        self.adjustSize()

    def choose(self, prompt: str) -> None:
        """Put ``prompt`` in the composer (replacing nothing typed there), cursor at its end."""
        composer = self._composer
        typed = composer.toPlainText()
        composer.setPlainText(prompt + typed if typed.strip() else prompt)
        cursor = composer.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        composer.setTextCursor(cursor)
        composer.setFocus(Qt.FocusReason.OtherFocusReason)
        self.prompt_chosen.emit(prompt)
