"""Answers one session's permission requests: by a rule the user kept, or by asking and waiting.

The CLI calls the session's permission handler before a tool runs and waits for the answer, so
nothing runs while a request waits. A request answered by a kept rule is still published (with the
rule), so the panel shows why it ran: nothing is approved silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from desktop_app.core.permissions.rules import RuleBook, describe, rules_for
from desktop_app.core.vocabulary.events import ChatEvent, PermissionAnswered, PermissionAsked
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, PermissionPrompt

log = logging.getLogger(__name__)


class PermissionBroker:
    def __init__(
        self,
        rules: RuleBook,
        publish: Callable[[ChatEvent], None],
        conversation_id: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.rules = rules
        self._publish = publish
        self._conversation_id = conversation_id
        self._pending: dict[str, tuple[PermissionPrompt, asyncio.Future[Answer]]] = {}

    @property
    def pending(self) -> list[PermissionPrompt]:
        return [prompt for prompt, _future in self._pending.values()]

    async def decide(self, request: Any) -> tuple[PermissionPrompt, Answer]:
        prompt = describe(request)
        conversation_id = self._conversation_id()
        rule = self.rules.match(prompt, conversation_id)
        if rule is not None:
            answer = Answer(Choice.ALLOW_ONCE)
            self._publish(PermissionAnswered(prompt, answer, rule))
            return prompt, answer
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._pending[prompt.prompt_id] = (prompt, future)
        try:
            self._publish(PermissionAsked(prompt))
            answer = await future
        except asyncio.CancelledError:
            answer = Answer(Choice.DENY, message="The request was cancelled.")
            self._publish(PermissionAnswered(prompt, answer))
            raise
        finally:
            self._pending.pop(prompt.prompt_id, None)
        kept = rules_for(answer, prompt, conversation_id)
        if kept:
            try:
                self.rules.add(kept)
            except Exception as exc:  # a full disk: the answer still counts for this request
                log.warning("Could not keep the permission rule: %s", exc)
        self._publish(PermissionAnswered(prompt, answer))
        return prompt, answer

    def answer(self, prompt_id: str, answer: Answer) -> bool:
        """The user's answer; False when the request is no longer waiting."""
        entry = self._pending.get(prompt_id)
        if entry is None or entry[1].done():
            return False
        entry[1].set_result(answer)
        return True

    def deny_all(self, message: str = "") -> None:
        """The reply was stopped or the window closed: nothing waiting may run."""
        for _prompt, future in list(self._pending.values()):
            if not future.done():
                future.set_result(Answer(Choice.DENY, message=message))
