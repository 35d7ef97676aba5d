"""The agent's questions between the session, the question card and the composer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QPlainTextEdit

from desktop_app.core.vocabulary.events import QuestionAnswered
from desktop_app.core.vocabulary.questions import QuestionReply, UserQuestion
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.tools.question_card import QuestionCard


class QuestionRequests(QObject):
    """Wires itself: the bridge's questions to the card, the card's answers to the session.

    A question takes the focus (the card, never an answer) and notifies a user who is away; once
    it is answered or cancelled the composer has the focus again. The reply reaches the session's
    broker directly: the controller has no part in it."""

    def __init__(
        self,
        controller: ChatController,
        card: QuestionCard,
        composer: QPlainTextEdit,
        notify: Callable[[str, str], None],
    ) -> None:
        super().__init__(card)
        self._controller = controller
        self._card = card
        self._composer = composer
        self._notify = notify
        controller.bridge.question_asked.connect(self.asked)
        controller.bridge.question_answered.connect(self.answered)
        controller.tools_reloaded.connect(card.clear)  # another conversation: its questions went
        card.answered.connect(self.answer)
        card.typed.connect(composer.insertPlainText)  # typing is never lost

    @Slot(UserQuestion)
    def asked(self, question: UserQuestion) -> None:
        self._card.ask(question)
        self._notify("Copilot is asking you a question", question.question)
        self._card.take_focus()

    @Slot(QuestionAnswered)
    def answered(self, event: QuestionAnswered) -> None:
        self._card.resolved(event.question.question_id)
        if not self._card.isVisible():
            self._composer.setFocus()

    @Slot(str, QuestionReply)
    def answer(self, question_id: str, reply: QuestionReply) -> None:
        session = self._controller.session
        if session is not None:
            session.questions.answer(question_id, reply)
