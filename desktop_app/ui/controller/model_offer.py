"""The models the source offers and the open conversation's reasoning effort: what the pickers show,
and what a session is asked for.

The effort is the conversation's (the store keeps it); a new conversation starts at its model's
default rather than at the last level used, because a level is a choice for one task (a hard bug
at "high") and carrying it into the next chat would make every new one slower than the user
expects, unseen. A level is only ever sent to a model that takes it: the CLI refuses to open a
session asking a model for an effort it lacks, and fails each send that does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.core.vocabulary import notices
from desktop_app.core.vocabulary.catalog.model import CatalogModel, effort_to_send, find_model
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.notices import Notice
from desktop_app.core.vocabulary.targets import ChatTarget, Source
from desktop_app.ui.controller.connection import Connection
from desktop_app.ui.controller.open_conversation import OpenConversation
from desktop_app.ui.controller.session_link import SessionLink


class ModelOffer(QObject):
    """Signals:
    models_changed(list, str): the models on offer (``CatalogModel``s) and the selected one's id.
    effort_changed(object, str): the selected model (a ``CatalogModel``; None when the source does
        not list it) and the conversation's effort ("": the model's default).
    """

    models_changed = Signal(list, str)
    effort_changed = Signal(object, str)

    def __init__(
        self,
        connection: Connection,
        conversation: OpenConversation,
        link: SessionLink,
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]],
        notice: Callable[[Notice], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.models: list[CatalogModel] = []
        self._connection = connection
        self._conversation = conversation
        self._link = link
        self._spawn = spawn
        self._notice = notice
        connection.models_changed.connect(self._offered)

    def _offered(self, models: list[CatalogModel], current: str) -> None:
        self.models = list(models)
        self.models_changed.emit(self.models, current)
        self.show()
        if self._link.session is not None:  # the effort of a session opened before the list came
            self._spawn(self.apply())

    def refresh(self) -> asyncio.Task[None]:
        """Ask the source again which models it offers (``models_changed``)."""
        return self._spawn(self._connection.refresh_models())

    def selected(self) -> CatalogModel | None:
        return find_model(self.models, self._connection.target().model_name)

    def target(self) -> ChatTarget:
        """Where answers come from, with the reasoning effort to ask a Copilot model for."""
        base = self._connection.target()
        if base.source is not Source.COPILOT:
            return base
        return replace(base, reasoning_effort=effort_to_send(self.selected(), self._conversation.effort()))

    def effort(self) -> str:
        return self._conversation.effort()

    def show(self) -> None:
        """Say what the effort picker shows now (after a switch of conversation or model)."""
        self.effort_changed.emit(self.selected(), self._conversation.effort())

    def choose_effort(self, effort: str) -> asyncio.Task[None]:
        """This conversation's level ("": the model's default); a live session switches to it."""
        self._conversation.set_effort(effort)
        self.show()
        return self._spawn(self.apply())

    async def apply(self) -> None:
        """A live session asks for what the conversation and its model now call for."""
        session, target = self._link.session, self.target()
        if session is None or session.target == target:
            return
        try:
            await session.set_target(target)
        except Exception as exc:
            self._notice(notices.error(describe_error(exc)))
