"""Records a conversation's turns in the store as they stream: a subscriber of its ``LiveConversation``.

It reads the live conversation's reply (its text, reasoning, usage and status) and its tool calls as
they change; it never reads the session's events itself, so what is saved is what the window and the
share page show.

Writes are batched: the growing reply is written at most every ``flush_interval`` seconds (not one
transaction per token), so a crash loses at most that much of it; the reply row is marked
``streaming`` until the turn ends, which is how a restart finds replies that were cut off.

Tool calls are saved as they happen, in the reply they belong to, at the length its text had when
each started. A new call, a new status or a permission answer is written at once; a running tool's
live output goes with the batched writes. A call still pending or running when its turn ends (the
reply finished, was stopped, failed or the window closed) never will finish: it is saved as failed,
with the error "Interrupted" (the live conversation marks them). Calls that were done, failed or denied
are kept as they are.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sqlite3
from collections.abc import Callable
from typing import Protocol

from desktop_app.core.conversation.changes import (
    Change,
    NoticeAdded,
    ReasoningAppended,
    ReasoningReplaced,
    ReplyBegan,
    ReplyEnded,
    Retitled,
    SegmentClosed,
    TextAppended,
    ToolChanged,
    ToolPlaced,
    UsageAdded,
    UserSent,
)
from desktop_app.core.conversation.reply import Reply
from desktop_app.core.conversation.tool_calls import ToolCall
from desktop_app.core.storage.conversation_store import ConversationStore, title_from_prompt
from desktop_app.core.storage.models import Role, Status
from desktop_app.core.vocabulary.notices import Level

log = logging.getLogger(__name__)
FLUSH_INTERVAL = 0.2  # seconds: the streaming reply is on disk within ~250 ms of arriving


class Cancellable(Protocol):
    def cancel(self) -> None: ...


Scheduler = Callable[[float, Callable[[], None]], Cancellable]


def asyncio_scheduler(delay: float, callback: Callable[[], None]) -> Cancellable:
    return asyncio.get_running_loop().call_later(delay, callback)


class TurnRecorder:
    """Saves what one conversation's ``LiveConversation`` reports (subscribe it to ``changes``)."""

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
        self._row_ids: dict[str, str] = {}  # a call's id -> its row's, when the store had that id already
        self._tools_dirty: dict[str, ToolCall] = {}  # calls with live output not yet written
        self._reply: Reply | None = None  # the reply being saved
        self._placed: dict[str, ToolCall] = {}  # its tool calls, by id
        self.reply_id: str | None = None  # its row, once something arrived
        self._dirty = False

    # -- the live conversation's changes -------------------------------------------------------
    def __call__(self, change: Change) -> None:
        try:
            self._record(change)
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        """A full disk or a vanished data dir: say so once, keep the chat going."""
        log.warning("Could not save the conversation: %s", exc)
        if self._on_error is not None and not self._error_reported:
            self._error_reported = True
            self._on_error(f"This conversation could not be saved: {exc}")

    def _record(self, change: Change) -> None:
        match change:
            case UserSent(text=text, model=model, attachments=attachments):
                self.finish_turn()
                self.store.add_message(  # at once
                    self.conversation_id, Role.USER, text, model=model, attachments=attachments
                )
            case ReplyBegan(reply=reply):
                self.finish_turn()
                self._reply = reply
            case TextAppended(reply=reply) | ReasoningAppended(reply=reply) | ReasoningReplaced(reply=reply):
                self._changed(reply)
            case SegmentClosed(reply=reply, segment=segment, marks_moved=moved) if segment.text:
                self._changed(reply)
                if moved:
                    self._move_marks(reply)
            case UsageAdded(reply=reply) if reply is self._reply:
                self._dirty = True
            case ToolPlaced(reply=reply, call=call, offset=offset):
                self._tool_started(reply, call, offset)
            case ToolChanged(call=call, new=False, output=True):
                self._tools_dirty[call.id] = call
                self._schedule_flush()
            case ToolChanged(call=call, new=False):
                self._save_tool(call)
            case ReplyEnded(reply=reply) if reply is self._reply:
                self.finish_turn(Status(reply.status.value), reply.error)
            case NoticeAdded(text=text, level=level, saved=True):
                status = Status.ERROR if level is Level.ERROR else Status.COMPLETE
                self.store.add_message(self.conversation_id, Role.NOTICE, text, status=status)
            case Retitled(title=title):
                self._retitle(title)
            case _:
                pass

    def notice(self, text: str, status: Status = Status.COMPLETE) -> None:
        """The app's own note outside any reply (a send that failed before it reached Copilot)."""
        try:
            self.store.add_message(self.conversation_id, Role.NOTICE, text, status=status)
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)

    def _retitle(self, title: str) -> None:
        """Copilot named the session: use it, unless the user renamed the conversation already."""
        conversation = self.store.get_conversation(self.conversation_id)
        if conversation is None:
            return
        first = next((m for m in self.store.messages(self.conversation_id) if m.role is Role.USER), None)
        automatic = {"", title_from_prompt(first.content) if first else ""}
        if conversation.title in automatic:
            self.store.rename(self.conversation_id, title_from_prompt(title))

    # -- tool calls -----------------------------------------------------------------------------
    def _tool_started(self, reply: Reply, call: ToolCall, offset: int) -> None:
        """Saved at once, in the reply (created now if no text came yet), where its text ended then."""
        if reply is not self._reply:
            self.finish_turn()
            self._reply = reply
        reply_id = self._ensure_reply(reply)
        row_id = self.store.unused_tool_call_id(self.conversation_id, call.id)
        if row_id != call.id:
            self._row_ids[call.id] = row_id
        self._placed[call.id] = call
        self.store.save_tool_call(self.conversation_id, self._as_saved(call), reply_id, offset)

    def _move_marks(self, reply: Reply) -> None:
        """The final text of a message moved where the calls after it start."""
        for mark in reply.marks:
            call = self._placed.get(mark.call_id)
            if call is not None and self.reply_id is not None:
                self.store.save_tool_call(
                    self.conversation_id, self._as_saved(call), self.reply_id, mark.offset
                )

    def _save_tool(self, call: ToolCall) -> None:
        self._tools_dirty.pop(call.id, None)
        self.store.save_tool_call(self.conversation_id, self._as_saved(call))

    def _as_saved(self, call: ToolCall) -> ToolCall:
        row_id = self._row_ids.get(call.id, call.id)
        return call if row_id == call.id else dataclasses.replace(call, id=row_id)

    def _write_tools(self) -> None:
        for call_id, call in list(self._tools_dirty.items()):
            self.store.save_tool_call(self.conversation_id, self._as_saved(call))
            del self._tools_dirty[call_id]

    # -- writing --------------------------------------------------------------------------------
    def _ensure_reply(self, reply: Reply) -> str:
        """The id of this reply's row, adding it (streaming) if there is none yet."""
        if self.reply_id is None:
            self.reply_id = self.store.add_message(
                self.conversation_id, Role.ASSISTANT, reply.text, status=Status.STREAMING
            ).id
        return self.reply_id

    def _changed(self, reply: Reply) -> None:
        if reply is not self._reply:
            self.finish_turn()
            self._reply = reply
        if self.reply_id is None:
            self._ensure_reply(reply)  # with its text: only reasoning is left to write
            if not reply.reasoning:
                return
        self._dirty = True
        self._schedule_flush()

    def _schedule_flush(self) -> None:
        if self._pending is None:
            self._pending = self._schedule(self._interval, self.flush)

    def flush(self) -> None:
        """Write what has arrived since the last write (one UPDATE)."""
        self._pending = None
        try:
            self._write()
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)

    def _write(self) -> None:
        self._write_tools()
        reply = self._reply
        if reply is None or self.reply_id is None or not self._dirty:
            return
        self._dirty = False
        try:
            self.store.update_message(
                self.reply_id,
                content=reply.text,
                reasoning=reply.reasoning,
                model=reply.model,
                input_tokens=reply.input_tokens,
                output_tokens=reply.output_tokens,
                duration_ms=reply.duration_ms,
                ttft_ms=reply.ttft_ms,
                premium_cost=reply.premium_cost,
            )
        except Exception:
            self._dirty = True
            raise

    def finish_turn(self, status: Status = Status.COMPLETE, error: str = "") -> None:
        """The reply ended: write everything and the final status."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        try:
            self._write_tools()
            if self.reply_id is not None:
                self._dirty = True
                self._write()
                self.store.update_message(self.reply_id, status=status, error=error)
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)
        finally:
            self._reply, self.reply_id, self._dirty = None, None, False
            self._placed = {}

    def close(self) -> None:
        """Stop recording: whatever is still unwritten goes to disk (a reply still open as interrupted)."""
        if self.reply_id is not None or self._tools_dirty:
            self.finish_turn(Status.INTERRUPTED)
