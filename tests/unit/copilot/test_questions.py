"""The question broker: a question waits for its reply; a stop answers every waiting one."""

from __future__ import annotations

import asyncio

import pytest

from desktop_app.core.copilot.questions import QuestionBroker, sdk_response
from desktop_app.core.vocabulary.events import ChatEvent, QuestionAnswered, QuestionAsked
from desktop_app.core.vocabulary.questions import QuestionReply

pytestmark = pytest.mark.asyncio


async def test_a_question_waits_for_the_users_reply() -> None:
    events: list[ChatEvent] = []
    broker = QuestionBroker(events.append)
    task = asyncio.ensure_future(
        broker.ask({"question": "Which?", "choices": ["A", "B"], "allowFreeform": False})
    )
    await asyncio.sleep(0)
    [asked] = events
    assert isinstance(asked, QuestionAsked) and asked.question.choices == ("A", "B")
    assert not asked.question.allow_freeform and broker.pending == [asked.question]
    assert broker.answer(asked.question.question_id, QuestionReply("B"))
    assert sdk_response(await task) == {"answer": "B", "wasFreeform": False}
    assert isinstance(events[-1], QuestionAnswered) and not broker.pending
    assert not broker.answer(asked.question.question_id, QuestionReply("A"))  # answered once


async def test_cancel_all_answers_every_waiting_question_in_words() -> None:
    broker = QuestionBroker(lambda _event: None)
    tasks = [asyncio.ensure_future(broker.ask({"question": q})) for q in ("one", "two")]
    await asyncio.sleep(0)
    broker.cancel_all("The user stopped the reply.")
    for reply in await asyncio.gather(*tasks):
        assert reply.cancelled
        assert sdk_response(reply) == {
            "answer": "(No answer. The user stopped the reply.)",
            "wasFreeform": True,
        }
