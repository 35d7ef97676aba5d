"""An MCP server's form as questions: each field in turn, answers typed as the schema says."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from desktop_app.core.copilot.elicitation import fill_in, form_fields
from desktop_app.core.vocabulary.questions import QuestionReply

pytestmark = pytest.mark.asyncio
SCHEMA = {
    "type": "object",
    "properties": {
        "colour": {"type": "string", "title": "Colour", "enum": ["r", "b"], "enumNames": ["Red", "Blue"]},
        "sure": {"type": "boolean", "title": "Sure?"},
        "count": {"type": "integer", "description": "How many"},
        "note": {"type": "string"},
    },
}


def scripted(*answers: QuestionReply) -> tuple[list[Mapping[str, Any]], Any]:
    asked: list[Mapping[str, Any]] = []
    replies = iter(answers)

    async def ask(request: Mapping[str, Any]) -> QuestionReply:
        asked.append(request)
        return next(replies)

    return asked, ask


async def test_fields_offer_their_choices() -> None:
    colour, sure, count, note = form_fields(SCHEMA)
    assert colour.labels == ("Red", "Blue") and colour.values == ("r", "b") and not colour.freeform
    assert sure.labels == ("Yes", "No") and not sure.freeform
    assert count.title == "How many" and count.freeform and not count.labels
    assert note.title == "note" and note.freeform


async def test_a_form_is_asked_field_by_field_and_typed() -> None:
    asked, ask = scripted(
        QuestionReply("Blue"),
        QuestionReply("No"),
        QuestionReply("lots", freeform=True),  # not a number: asked again
        QuestionReply("3", freeform=True),
        QuestionReply("hi", freeform=True),
    )
    result = await fill_in({"message": "Set it up", "requestedSchema": SCHEMA}, ask)
    assert result == {"action": "accept", "content": {"colour": "b", "sure": False, "count": 3, "note": "hi"}}
    assert asked[0] == {
        "question": "Set it up\n\nColour",
        "choices": ["Red", "Blue"],
        "allowFreeform": False,
        "source": "",
    }
    assert len(asked) == 5


async def test_a_cancelled_question_cancels_the_form_and_a_url_is_declined() -> None:
    _asked, ask = scripted(QuestionReply("Red"), QuestionReply.cancel("stopped"))
    assert await fill_in({"message": "m", "requestedSchema": SCHEMA}, ask) == {"action": "cancel"}
    assert await fill_in({"message": "m", "mode": "url", "url": "https://x"}, ask) == {"action": "decline"}
