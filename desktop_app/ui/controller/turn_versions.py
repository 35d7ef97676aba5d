"""Edit, Regenerate, the versions they keep, and Branch from here: the session's side and the store's.

Each one forks the Copilot session at a prompt (``sessions.fork``, up to but not including its
``user.message`` event), so the model sees exactly the history the window shows: an edited prompt
goes on from just before the old one, a regenerated reply asks its prompt once more with nothing of
the old answer, and a branch holds the conversation up to the chosen message's turn. What an edit or
a regeneration replaces is kept as a version with the session that has it (``ConversationVersions``)
and comes back, with that session, when the user steps to it (< 1/2 >).

Nothing here runs while a reply streams: each first stops it and waits for it to end. No widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.core.config.settings import Settings
from desktop_app.core.conversation.prompt_events import event_of
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.storage.models import Message, Role
from desktop_app.core.storage.versions import ConversationVersions, Place
from desktop_app.core.vocabulary import notices
from desktop_app.core.vocabulary.attachments import Attachment
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.notices import Level, Notice, NoticeKind
from desktop_app.ui.controller.open_conversation import OpenConversation

log = logging.getLogger(__name__)

NOT_IN_SESSION = (
    "This prompt is not in the conversation's Copilot session (it may never have reached it), so "
    "the conversation cannot be taken back to it."
)
NO_SESSION = "Copilot no longer has this conversation's session, so it cannot be taken back."


class TurnVersions(QObject):
    """Signals:
    branch_opened(str): a conversation was branched from the open one (its id: open it beside).
    restore_offered(str, object): what restoring the checkpoint before this prompt (its id) would
        change (a ``RewindPreview``): the window asks before ``restore``.
    restored(str): the checkpoint was restored; the prompt it was before (for the composer).
    """

    branch_opened = Signal(str)
    restore_offered = Signal(str, object)
    restored = Signal(str)

    def __init__(
        self,
        conversation: OpenConversation,
        session: Callable[[], Awaitable[ChatSession]],
        settle: Callable[[], Awaitable[None]],
        reopen: Callable[[], Awaitable[None]],
        send: Callable[[str, Sequence[Attachment]], bool],
        apply_settings: Callable[[Settings], Awaitable[None]],
        notice: Callable[[Notice], None],
        run: Callable[[Coroutine[Any, Any, None]], Any],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._open = conversation
        self._session = session
        self._settle = settle  # stops a reply that streams and waits for its end
        self._reopen = reopen  # shows the open conversation again as the store has it, in its session
        self._send = send
        self._apply_settings = apply_settings
        self._notice = notice
        self._run = run

    # -- what the view shows --------------------------------------------------------------------
    def places(self) -> dict[str, Place]:
        """By message id: the live messages that have versions, and where each stands among them."""
        store, current = self._open.store, self._open.current
        if store is None or current is None:
            return {}
        return ConversationVersions(store).places(current.id)

    # -- the actions ------------------------------------------------------------------------------
    def edit(self, message_id: str, text: str, attachments: Sequence[Attachment] = ()) -> Any:
        """Send ``text`` in place of the prompt ``message_id``; the old one and what followed it are
        kept as a version."""
        return self._run(self._again(message_id, lambda _prompt: (text, tuple(attachments))))

    def regenerate(self, message_id: str, settings: Settings | None = None) -> Any:
        """Ask again the prompt of ``message_id`` (a reply, or the prompt itself), once, with
        ``settings`` (another model) if given; the old reply is kept as a version."""

        async def first() -> None:
            if settings is not None:
                await self._apply_settings(settings)

        return self._run(self._again(message_id, lambda prompt: (prompt.content, prompt.attachments), first))

    def retry_last(self) -> Any:
        """The banner's Regenerate, after a reply was cut off or failed: its prompt asked again."""
        messages = self._messages()
        return self.regenerate(messages[-1].id) if messages else None

    def step(self, message_id: str, step: int) -> Any:
        """Show the previous (-1) or next (+1) version of the message ``message_id``."""
        return self._run(self._step(message_id, step))

    def branch(self, message_id: str) -> Any:
        """A new conversation with everything up to the end of ``message_id``'s turn."""
        return self._run(self._branch(message_id))

    # -- how ------------------------------------------------------------------------------------
    def _messages(self) -> list[Message]:
        store, current = self._open.store, self._open.current
        return [] if store is None or current is None else store.messages(current.id)

    async def _again(
        self,
        message_id: str,
        prompt_for: Callable[[Message], tuple[str, tuple[Attachment, ...]]],
        first: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        await self._settle()
        messages = self._messages()
        prompt = _prompt_of(messages, message_id)
        if prompt is None:
            return
        text, attachments = prompt_for(prompt)
        try:
            if first is not None:
                await first()
            if not await self._rewind_before(messages, prompt):
                return
        except Exception as exc:
            log.info("Could not take the conversation back: %s", exc)
            self._notice(notices.error(describe_error(exc)))
            return
        self._send(text, attachments)

    async def _rewind_before(self, messages: list[Message], prompt: Message) -> bool:
        """Fork the session before ``prompt``, keep the messages from it on as a version, and go on
        in the fork."""
        store, current = self._open.store, self._open.current
        if store is None or current is None:
            return False
        if self._open.read_only or not current.session_id:
            self._notice(notices.error(NO_SESSION))
            return False
        session = await self._session()
        event = await self._event_of(session, messages, prompt)
        if event is None:
            return False
        forked = await session.fork(event, current.title)
        ConversationVersions(store).put_away(current.id, prompt.seq, session.session_id)
        store.update_conversation(current.id, session_id=forked)
        self._notice(notices.CLEAR)
        await self._reopen()
        return True

    async def _event_of(self, session: ChatSession, messages: list[Message], prompt: Message) -> str | None:
        """The ``user.message`` event of ``prompt`` in the session (None, said, when it has none)."""
        prompts = [m for m in messages if m.role is Role.USER]
        event = event_of([p.content for p in prompts], await session.prompt_events(), prompts.index(prompt))
        if event is None:
            self._notice(notices.error(NOT_IN_SESSION))
        return event

    # -- checkpoints (Agent mode: the files too) ---------------------------------------------------
    def offer_restore(self, message_id: str) -> Any:
        """Find out what restoring the checkpoint before this prompt would change (``restore_offered``)."""
        return self._run(self._offer_restore(message_id))

    def restore(self, message_id: str, files: bool = True) -> Any:
        """Put the conversation (and, with ``files``, the files the later turns changed) back to just
        before this prompt; what followed is kept as a version (in a copy of the session)."""
        return self._run(self._restore(message_id, files))

    async def _checkpoint(self, message_id: str) -> tuple[ChatSession, list[Message], Message, str] | None:
        await self._settle()
        current = self._open.current
        messages = self._messages()
        prompt = next((m for m in messages if m.id == message_id and m.role is Role.USER), None)
        if prompt is None or current is None:
            return None
        if self._open.read_only or not current.session_id:
            self._notice(notices.error(NO_SESSION))
            return None
        session = await self._session()
        event = await self._event_of(session, messages, prompt)
        return None if event is None else (session, messages, prompt, event)

    async def _offer_restore(self, message_id: str) -> None:
        try:
            found = await self._checkpoint(message_id)
            if found is not None:
                self.restore_offered.emit(message_id, await found[0].preview_rewind(found[3]))
        except Exception as exc:
            self._notice(notices.error(describe_error(exc)))

    async def _restore(self, message_id: str, files: bool) -> None:
        store, current = self._open.store, self._open.current
        if store is None or current is None:
            return
        try:
            found = await self._checkpoint(message_id)
            if found is None:
                return
            session, _messages, prompt, event = found
            kept = await session.fork(None, current.title)  # what follows, for its version
            outcome = await session.rewind(event, files)
        except Exception as exc:
            log.info("Could not restore the checkpoint: %s", exc)
            self._notice(notices.error(describe_error(exc)))
            return
        from desktop_app.core.vocabulary.checkpoints import outcome_text  # here: not at start-up

        folder = current.working_dir
        if outcome.error:
            self._notice(notices.error(outcome_text(outcome, folder)))
            return
        ConversationVersions(store).put_away(current.id, prompt.seq, kept)
        await self._reopen()
        level = Level.WARNING if outcome.skipped else Level.INFO
        self._notice(Notice(NoticeKind.ERROR, outcome_text(outcome, folder), level))
        self.restored.emit(prompt.content)

    async def _step(self, message_id: str, step: int) -> None:
        store, current = self._open.store, self._open.current
        if store is None or current is None:
            return
        await self._settle()
        if ConversationVersions(store).switch(current.id, message_id, step):
            self._notice(notices.CLEAR)
            await self._reopen()

    async def _branch(self, message_id: str) -> None:
        store, current = self._open.store, self._open.current
        if store is None or current is None:
            return
        await self._settle()
        messages = self._messages()
        chosen = next((m for m in messages if m.id == message_id), None)
        if chosen is None:
            return
        prompts = [m for m in messages if m.role is Role.USER]
        own = [p for p in prompts if p.seq <= chosen.seq]
        after = [p for p in prompts if p.seq > chosen.seq]
        last_seq = after[0].seq - 1 if after else messages[-1].seq
        try:
            if self._open.read_only or not current.session_id:
                self._notice(notices.error(NO_SESSION))
                return
            session = await self._session()
            boundary = None  # the last turn: the whole session
            if after:  # up to the next prompt, which the fork leaves out
                events = await session.prompt_events()
                boundary = event_of([p.content for p in prompts], events, len(own))
                if boundary is None:
                    self._notice(notices.error(NOT_IN_SESSION))
                    return
            forked = await session.fork(boundary, current.title)
        except Exception as exc:
            log.info("Could not branch the conversation: %s", exc)
            self._notice(notices.error(describe_error(exc)))
            return
        branch = ConversationVersions(store).branch(current.id, last_seq, forked)
        self.branch_opened.emit(branch.id)


def _prompt_of(messages: list[Message], message_id: str) -> Message | None:
    """The prompt itself, or the prompt a reply answers (the last one before it)."""
    chosen = next((k for k, m in enumerate(messages) if m.id == message_id), None)
    if chosen is None:
        return None
    return next((m for m in reversed(messages[: chosen + 1]) if m.role is Role.USER), None)
