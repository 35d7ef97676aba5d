"""Answers one session's ``ask_user`` questions: each waits, on the app's loop, for the user.

The CLI waits for the answer before the agent goes on, so nothing else runs while a question waits.
A stop, a closed window or a dead CLI cancels every waiting question, so the handler always returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.core.vocabulary.events import ChatEvent, QuestionAnswered, QuestionAsked
from desktop_app.core.vocabulary.questions import QuestionReply, UserQuestion


class QuestionBroker:
    def __init__(self, publish: Callable[[ChatEvent], None]) -> None:
        self._publish = publish
        self._pending: dict[str, tuple[UserQuestion, asyncio.Future[QuestionReply]]] = {}

    @property
    def pending(self) -> list[UserQuestion]:
        return [question for question, _future in self._pending.values()]

    async def ask(self, request: Mapping[str, Any]) -> QuestionReply:
        """Publish the question and wait for the user's reply (or a cancellation)."""
        question = UserQuestion.of(request)
        future: asyncio.Future[QuestionReply] = asyncio.get_running_loop().create_future()
        self._pending[question.question_id] = (question, future)
        try:
            self._publish(QuestionAsked(question))
            reply = await future
        except asyncio.CancelledError:
            self._publish(QuestionAnswered(question, QuestionReply.cancel("The question was cancelled.")))
            raise
        finally:
            self._pending.pop(question.question_id, None)
        self._publish(QuestionAnswered(question, reply))
        return reply

    def answer(self, question_id: str, reply: QuestionReply) -> bool:
        """The user's reply; False when the question no longer waits."""
        entry = self._pending.get(question_id)
        if entry is None or entry[1].done():
            return False
        entry[1].set_result(reply)
        return True

    def cancel_all(self, reason: str) -> None:
        """The reply was stopped, the window closed or the CLI died: no question waits on."""
        for _question, future in list(self._pending.values()):
            if not future.done():
                future.set_result(QuestionReply.cancel(reason))


def sdk_response(reply: QuestionReply) -> dict[str, Any]:
    """The SDK's ``UserInputResponse`` for a reply. A cancelled question is answered too, in words:
    the model reads ``User responded: <answer>`` (CLI 1.0.102), and for a handler that raises it reads
    "The user was unable to respond due to an error", which is not what happened."""
    if reply.cancelled:
        return {"answer": f"(No answer. {reply.reason or 'The user did not answer.'})", "wasFreeform": True}
    return {"answer": reply.text, "wasFreeform": reply.freeform}
