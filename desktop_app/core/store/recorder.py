"""Records a conversation's turns in the store as they stream: one more subscriber of the session.

Writes are batched: the growing reply is written at most every ``flush_interval`` seconds (not one
transaction per token), so a crash loses at most that much of it; the reply row is marked
``streaming`` until the turn ends, which is how a restart finds replies that were cut off.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from typing import Protocol

from desktop_app.core.events import (
    ChatEvent,
    CliExited,
    Idle,
    MessageCompleted,
    ReasoningCompleted,
    ReasoningDelta,
    SessionFailed,
    TextDelta,
    TitleChanged,
    Usage,
)
from desktop_app.core.store.conversation_store import ConversationStore, title_from_prompt
from desktop_app.core.store.models import Message, Role, Status

log = logging.getLogger(__name__)

FLUSH_INTERVAL = 0.2  # seconds: the streaming reply is on disk within ~250 ms of arriving


class Cancellable(Protocol):
    def cancel(self) -> None: ...


Scheduler = Callable[[float, Callable[[], None]], Cancellable]


def asyncio_scheduler(delay: float, callback: Callable[[], None]) -> Cancellable:
    return asyncio.get_running_loop().call_later(delay, callback)


class TurnRecorder:
    """Subscriber that saves what one conversation's session reports."""

    def __init__(
        self,
        store: ConversationStore,
        conversation_id: str,
        *,
        schedule: Scheduler = asyncio_scheduler,
        flush_interval: float = FLUSH_INTERVAL,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self._on_error = on_error
        self._error_reported = False
        self._schedule = schedule
        self._interval = flush_interval
        self._pending: Cancellable | None = None
        self._reset_turn()

    def _reset_turn(self) -> None:
        self.reply_id: str | None = None
        self._segments: dict[str, str] = {}
        self._reasoning = ""
        self._model = ""
        self._input_tokens: int | None = None
        self._output_tokens: int | None = None
        self._duration_ms: float | None = None
        self._ttft_ms: float | None = None
        self._dirty = False

    # -- what the controller tells it -----------------------------------------------------------
    def user_message(self, text: str, model: str = "") -> Message:
        """The prompt is saved the moment it is sent."""
        self.finish_turn()
        return self.store.add_message(self.conversation_id, Role.USER, text, model=model)

    def notice(self, text: str, status: Status = Status.COMPLETE) -> None:
        """The app's own note (status ERROR for failures, so a reopened conversation shows them so)."""
        self.store.add_message(self.conversation_id, Role.NOTICE, text, status=status)

    # -- session events -----------------------------------------------------------------------
    def __call__(self, event: ChatEvent) -> None:
        try:
            self._record(event)
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        """A full disk or a vanished data dir: say so once, keep the chat going."""
        log.warning("Could not save the conversation: %s", exc)
        if self._on_error is not None and not self._error_reported:
            self._error_reported = True
            self._on_error(f"This conversation could not be saved: {exc}")

    def _record(self, event: ChatEvent) -> None:
        match event:
            case TextDelta(message_id=mid, text=text):
                self._segments[mid] = self._segments.get(mid, "") + text
                self._changed()
            case ReasoningDelta(text=text):
                self._reasoning += text
                self._changed()
            case MessageCompleted(message_id=mid, content=content) if content:
                self._segments[mid] = content
                self._changed()
            case ReasoningCompleted(content=content) if content:
                self._reasoning = content
                self._changed()
            case Usage():
                self._usage(event)
            case Idle(aborted=aborted):
                self.finish_turn(Status.ABORTED if aborted else Status.COMPLETE)
                if aborted:
                    self.notice("Stopped.")
            case SessionFailed(message=message) | CliExited(message=message):
                self.finish_turn(Status.ERROR, message)
                self.notice(message, Status.ERROR)
            case TitleChanged(title=title) if title.strip():
                self._retitle(title)
            case _:
                pass

    def _retitle(self, title: str) -> None:
        """Copilot named the session: use it, unless the user renamed the conversation already."""
        conversation = self.store.get_conversation(self.conversation_id)
        if conversation is None:
            return
        first = next((m for m in self.store.messages(self.conversation_id) if m.role is Role.USER), None)
        automatic = {"", title_from_prompt(first.content) if first else ""}
        if conversation.title in automatic:
            self.store.rename(self.conversation_id, title_from_prompt(title))

    def _usage(self, usage: Usage) -> None:
        if usage.model:
            self._model = usage.model
        if usage.input_tokens is not None:
            self._input_tokens = (self._input_tokens or 0) + usage.input_tokens
        if usage.output_tokens is not None:
            self._output_tokens = (self._output_tokens or 0) + usage.output_tokens
        if usage.duration_ms is not None:
            self._duration_ms = (self._duration_ms or 0.0) + usage.duration_ms
        if self._ttft_ms is None and usage.time_to_first_token_ms is not None:
            self._ttft_ms = usage.time_to_first_token_ms
        self._dirty = True

    # -- writing --------------------------------------------------------------------------------
    @property
    def content(self) -> str:
        return "\n\n".join(s for s in self._segments.values() if s)

    def _changed(self) -> None:
        self._dirty = True
        if self.reply_id is None:
            self.reply_id = self.store.add_message(
                self.conversation_id, Role.ASSISTANT, self.content, status=Status.STREAMING
            ).id
            self._dirty = False
        elif self._pending is None:
            self._pending = self._schedule(self._interval, self.flush)

    def flush(self) -> None:
        """Write what has arrived since the last write (one UPDATE)."""
        self._pending = None
        try:
            self._write()
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)

    def _write(self) -> None:
        if self.reply_id is None or not self._dirty:
            return
        self._dirty = False
        try:
            self.store.update_message(
                self.reply_id,
                content=self.content,
                reasoning=self._reasoning,
                model=self._model,
                input_tokens=self._input_tokens,
                output_tokens=self._output_tokens,
                duration_ms=self._duration_ms,
                ttft_ms=self._ttft_ms,
            )
        except Exception:
            self._dirty = True
            raise

    def finish_turn(self, status: Status = Status.COMPLETE, error: str = "") -> None:
        """The turn ended: write everything and the final status."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        try:
            if self.reply_id is not None:
                self._dirty = True
                self._write()
                self.store.update_message(self.reply_id, status=status, error=error)
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)
        finally:
            self._reset_turn()

    def close(self) -> None:
        """The window closes mid-reply: keep what arrived, marked as interrupted."""
        if self.reply_id is not None:
            self.finish_turn(Status.INTERRUPTED)
