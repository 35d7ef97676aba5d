"""The agent's question (the ``ask_user`` tool), above the composer: its choices as buttons, a
free-text answer where the question allows one, and Cancel.

The agent waits for the answer, so nothing else runs while a question waits. As with a permission
request, the keyboard's focus goes to the card itself when a question appears, never to an answer:
a prompt being typed answers nothing, and what is typed on the card goes on to the composer
(``typed``), so none of it is lost. Tab reaches every choice, the answer field and Cancel; Esc on the
card cancels. Everything shown comes from the model: plain text only (a choice's ``&`` is no mnemonic).
"""

from __future__ import annotations

from functools import partial
from itertools import pairwise

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.vocabulary.questions import QuestionReply, UserQuestion
from desktop_app.ui.conversation.type_to_composer import is_typing
from desktop_app.ui.platform.fitting.elided_label import wrapping_label
from desktop_app.ui.platform.fitting.flow_layout import FlowLayout
from desktop_app.ui.platform.live_palette import follow_palette, tint
from desktop_app.ui.tools.permission_card import plain_label, plain_tooltip

CHOICE_CHARS = 80  # a longer choice is cut on its button (its tooltip and accessible name hold it all)
QUESTION_HEIGHT = 160  # a longer question scrolls
KEYS_HINT = "Tab reaches every choice · Esc cancels"
CANCELLED = "The user cancelled the question."


class FittingScroll(QScrollArea):
    """Scrolls a wrapped label: as tall as its text, up to ``QUESTION_HEIGHT``."""

    def sizeHint(self) -> QSize:
        label = self.widget()
        width = self.viewport().width() or self.width()
        height = label.heightForWidth(width) if label is not None else 0
        return QSize(super().sizeHint().width(), min(QUESTION_HEIGHT, max(height, 0) + 2))

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.updateGeometry()  # narrower: more lines


def button_text(choice: str) -> str:
    """A choice as a button shows it: one line, cut when long, ``&`` as itself."""
    line = " ".join(choice.split())
    if len(line) > CHOICE_CHARS:
        line = line[: CHOICE_CHARS - 1] + "…"
    return line.replace("&", "&&")


class QuestionCard(QFrame):
    """Signals:
    answered(str, QuestionReply): a question id and the user's reply (or cancellation).
    typed(str): printable text typed while the card itself had focus (it belongs in the composer).
    """

    answered = Signal(str, QuestionReply)
    typed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Question from Copilot")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._queue: list[UserQuestion] = []
        self.title = plain_label(self)
        self.title.setText("Copilot asks:")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.count = plain_label(self)
        self.question = wrapping_label(self)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.question.setAccessibleName("Question")
        self.question.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        scroll = self._scroll = FittingScroll(self)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.question)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.choices = QWidget(self)
        self._choice_layout = FlowLayout(self.choices)
        self._choice_layout.setContentsMargins(0, 0, 0, 0)
        self.choice_buttons: list[QPushButton] = []
        self.free_text = QLineEdit(self)
        self.free_text.setAccessibleName("Your answer")
        self.free_text.returnPressed.connect(self._send_free_text)
        self.send = QPushButton("Send answer", self)
        self.send.setAccessibleName("Send answer")
        self.send.clicked.connect(self._send_free_text)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setAccessibleName("Cancel the question")
        self.cancel.setToolTip("Cancel: the agent gets no answer (Esc on the question)")
        self.cancel.clicked.connect(self._cancel)
        for push in (self.send, self.cancel):
            push.setAutoDefault(False)
        self.keys = plain_label(self)
        self.keys.setText(KEYS_HINT)
        self.keys.setEnabled(False)  # shown dimmed: a hint

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.count)
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.free_text, 1)
        answer_row.addWidget(self.send)
        bottom = QHBoxLayout()
        bottom.addWidget(self.keys, 1)
        bottom.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(scroll)
        layout.addWidget(self.choices)
        layout.addLayout(answer_row)
        layout.addLayout(bottom)
        self.hide()
        follow_palette(self, self._restyle)

    def _restyle(self) -> None:
        self.setStyleSheet(
            f"QFrame#questionCard:focus {{ border: 2px solid {tint(QPalette.ColorRole.Highlight)}; }}"
        )

    def take_focus(self) -> None:
        """A question appeared: the card, not an answer, gets the focus."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc cancels; typing on the card itself goes on to the composer; Enter answers nothing."""
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self._cancel()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        if is_typing(event):
            event.accept()
            self.typed.emit(event.text())
            return
        super().keyPressEvent(event)

    # -- the queue ---------------------------------------------------------------------------
    @property
    def current(self) -> UserQuestion | None:
        return self._queue[0] if self._queue else None

    def ask(self, question: UserQuestion) -> None:
        if any(q.question_id == question.question_id for q in self._queue):
            return
        self._queue.append(question)
        if len(self._queue) == 1:
            self._show_current()
        else:
            self.count.setText(f"1 of {len(self._queue)}")

    def resolved(self, question_id: str) -> None:
        """The question was answered or cancelled (here, or by the reply stopping)."""
        was_current = self.current is not None and self.current.question_id == question_id
        self._queue = [q for q in self._queue if q.question_id != question_id]
        if was_current:
            self._show_current()
        else:
            self.count.setText(f"1 of {len(self._queue)}" if len(self._queue) > 1 else "")

    def clear(self) -> None:
        self._queue.clear()
        self._show_current()

    def _show_current(self) -> None:
        question = self.current
        focused = QApplication.focusWidget()
        had_focus = focused is self or (focused is not None and self.isAncestorOf(focused))
        for button in self.choice_buttons:
            button.deleteLater()
        self.choice_buttons = []
        if question is None:
            self.hide()
            return
        self.count.setText(f"1 of {len(self._queue)}" if len(self._queue) > 1 else "")
        self.title.setText(f"MCP server '{question.source}' asks:" if question.source else "Copilot asks:")
        self.question.setText(question.question)
        for choice in question.choices:
            button = QPushButton(button_text(choice), self.choices)
            button.setAccessibleName(choice)
            button.setToolTip(plain_tooltip(choice))
            button.setAutoDefault(False)
            button.clicked.connect(partial(self._answer_for, question.question_id, QuestionReply(choice)))
            self._choice_layout.addWidget(button)
            self.choice_buttons.append(button)
        self.choices.setVisible(bool(question.choices))
        order = [self, *self.choice_buttons, self.free_text, self.send, self.cancel]  # Tab: choices first
        for before, after in pairwise(order):
            QWidget.setTabOrder(before, after)
        self.free_text.clear()
        self.free_text.setPlaceholderText(
            "Or type another answer; Enter sends" if question.choices else "Type your answer; Enter sends"
        )
        for widget in (self.free_text, self.send):
            widget.setVisible(question.allow_freeform)
        self.setAccessibleName(f"{self.title.text()} {question.question}")
        self.setAccessibleDescription("\n".join([*(f"Choice: {c}" for c in question.choices), KEYS_HINT]))
        self.show()
        self._scroll.updateGeometry()
        if had_focus:
            self.take_focus()  # off an answer to the question that went

    # -- answering ---------------------------------------------------------------------------
    @Slot()
    def _send_free_text(self) -> None:
        question, text = self.current, self.free_text.text().strip()
        if question is not None and question.allow_freeform and text:
            self._answer_for(question.question_id, QuestionReply(text, freeform=True))

    @Slot()
    def _cancel(self) -> None:
        if self.current is not None:
            self._answer_for(self.current.question_id, QuestionReply.cancel(CANCELLED))

    def _answer_for(self, question_id: str, reply: QuestionReply) -> None:
        """A button answers only the question it was made for."""
        if self.current is None or self.current.question_id != question_id:
            return
        self.resolved(question_id)
        self.answered.emit(question_id, reply)
