"""Records a conversation's turns in the store as they stream: one more subscriber of the session.

Writes are batched: the growing reply is written at most every ``flush_interval`` seconds (not one
transaction per token), so a crash loses at most that much of it; the reply row is marked
``streaming`` until the turn ends, which is how a restart finds replies that were cut off.

Tool calls are saved as they happen, in the reply they belong to, at the length its text had when
each started. A new call, a new status or a permission answer is written at once; a running tool's
live output goes with the batched writes. A call still pending or running when its turn ends (the
reply finished, was stopped, failed or the window closed) never will finish: it is saved as failed,
with the error "Interrupted". Calls that were done, failed or denied are kept as they are.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sqlite3
import time
from collections.abc import Callable
from typing import Protocol

from desktop_app.core.conversation.tool_calls import FINISHED, ToolCall, ToolStatus, ToolTimeline
from desktop_app.core.storage.conversation_store import ConversationStore, title_from_prompt
from desktop_app.core.storage.models import TOOL_INTERRUPTED, Message, Role, Status
from desktop_app.core.vocabulary.events import (
    ChatEvent,
    CliExited,
    CompactionCompleted,
    Idle,
    MessageCompleted,
    ReasoningCompleted,
    ReasoningDelta,
    SessionFailed,
    TextDelta,
    TitleChanged,
    ToolCompleted,
    ToolOutput,
    ToolStarted,
    Usage,
    compaction_text,
)

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
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self._on_error = on_error
        self._error_reported = False
        self._schedule = schedule
        self._interval = flush_interval
        self._pending: Cancellable | None = None
        self.tools = ToolTimeline(clock)  # every tool call since the recorder started
        self.tools.listeners.append(self._tool_changed)
        self._row_ids: dict[str, str] = {}  # a call's id -> its row's, when the id was used before
        self._live_output = False  # the event being fed to ``tools`` is a ToolOutput
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
        self._turn_calls: dict[str, ToolCall] = {}  # the calls this turn started, by id
        self._tools_dirty: dict[str, ToolCall] = {}  # calls with live output not yet written

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
        self._feed_tools(event)  # the tool listener reports its own storage errors
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
            case CompactionCompleted():
                self.notice(compaction_text(event))  # the transcript keeps the marker
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

    # -- tool calls -----------------------------------------------------------------------------
    def _feed_tools(self, event: ChatEvent) -> None:
        if isinstance(event, ToolStarted):
            known = self.tools.get(event.tool_call_id)
            if known is not None and known.status in FINISHED:
                # A finished call's id used again (some models number their calls afresh in every
                # reply): this is a new call, not more of the old one.
                self.tools.load([c for c in self.tools.calls if c is not known])
                self._row_ids.pop(event.tool_call_id, None)
        self._live_output = isinstance(event, ToolOutput)
        try:
            self.tools(event)
        finally:
            self._live_output = False

    def _tool_changed(self, call: ToolCall, new: bool) -> None:
        try:
            if new:
                self._tool_started(call)
            elif self._live_output:
                self._tools_dirty[call.id] = call
                self._schedule_flush()
            else:
                self._save_tool(call)
        except (sqlite3.Error, OSError) as exc:
            self._failed(exc)

    def _tool_started(self, call: ToolCall) -> None:
        """Saved at once, in the reply (created now if no text came yet), where its text ends now."""
        self._turn_calls[call.id] = call
        reply_id = self._ensure_reply()
        row_id = self.store.unused_tool_call_id(self.conversation_id, call.id)
        if row_id != call.id:
            self._row_ids[call.id] = row_id
        self.store.save_tool_call(self.conversation_id, self._as_saved(call), reply_id, len(self.content))

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

    def _end_tool_calls(self) -> None:
        """The turn ended: a call still waiting or running will never finish. Told to ``tools`` as
        a failure, so its listeners (this recorder's saving among them) hear of it."""
        for call in list(self._turn_calls.values()):
            if call.status in (ToolStatus.PENDING, ToolStatus.RUNNING) and self.tools.get(call.id) is call:
                self.tools(ToolCompleted(call.id, success=False, result=call.result, error=TOOL_INTERRUPTED))

    # -- writing --------------------------------------------------------------------------------
    @property
    def content(self) -> str:
        return "\n\n".join(s for s in self._segments.values() if s)

    def _ensure_reply(self) -> str:
        """The id of this turn's reply row, adding it (streaming) if there is none yet."""
        if self.reply_id is None:
            self.reply_id = self.store.add_message(
                self.conversation_id, Role.ASSISTANT, self.content, status=Status.STREAMING
            ).id
        return self.reply_id

    def _changed(self) -> None:
        if self.reply_id is None:
            self._ensure_reply()
        else:
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
            self._end_tool_calls()
            self._write_tools()
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
        if self.reply_id is not None or self._turn_calls or self._tools_dirty:
            self.finish_turn(Status.INTERRUPTED)
