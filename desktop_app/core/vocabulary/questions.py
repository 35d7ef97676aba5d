"""A question the agent asks the user (the CLI's ``ask_user`` tool), and the user's reply.

Everything in a question comes from the model: it is shown as plain text, never as markup.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_ids = itertools.count(1)


@dataclass(frozen=True)
class UserQuestion:
    """``choices``: answers to offer as buttons; ``allow_freeform``: the user may type their own;
    ``source``: the MCP server whose form it is ("" for the agent's own ``ask_user``)."""

    question_id: str
    question: str
    choices: tuple[str, ...] = ()
    allow_freeform: bool = True
    source: str = ""

    @classmethod
    def of(cls, request: Mapping[str, Any]) -> UserQuestion:
        """From the SDK's ``UserInputRequest`` (a dict); a question with no choices takes free text."""
        choices = tuple(str(c) for c in (request.get("choices") or ()) if str(c).strip())
        freeform = bool(request.get("allowFreeform", True)) or not choices
        question, source = str(request.get("question") or ""), str(request.get("source") or "")
        return cls(f"question-{next(_ids)}", question, choices, freeform, source)


@dataclass(frozen=True)
class QuestionReply:
    """The user's answer, or (``cancelled``) none: ``reason`` says why, for the model."""

    text: str = ""
    freeform: bool = False
    cancelled: bool = False
    reason: str = ""

    @classmethod
    def cancel(cls, reason: str) -> QuestionReply:
        return cls(cancelled=True, reason=reason)
