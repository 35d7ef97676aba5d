"""Every tool call of a conversation, kept up to date from its ``ChatEvent``s. No Qt.

One ``ToolTimeline`` per conversation (the ``LiveConversation``'s): the tool panel shows it and the
recorder saves from it, so what is saved is what was shown. Its ``changes`` hub tells of each change as
it happens. A call id the model uses again after that call finished (some models number their calls
afresh in every reply) is a new call: it gets an id of its own (``id#2``), here and only here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from desktop_app.core.conversation.reply import Change
from desktop_app.core.permissions.rules import describe_rule
from desktop_app.core.rendering.pretty import pretty_json
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.events import (
    ChatEvent,
    PermissionAnswered,
    PermissionAsked,
    ToolCompleted,
    ToolOutput,
    ToolStarted,
)

OUTPUT_LIMIT = 1_000_000  # characters of live output kept per call (the newest)


class ToolStatus(StrEnum):
    PENDING = "pending"  # waiting for the user's approval
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    DENIED = "denied"


FINISHED = frozenset({ToolStatus.DONE, ToolStatus.FAILED, ToolStatus.DENIED})
TOOL_INTERRUPTED = "Interrupted"  # the error of a tool call whose turn ended before it did


@dataclass
class ToolCall:
    id: str
    name: str
    title: str = ""
    arguments: str = ""  # pretty JSON
    command: str = ""  # a shell tool's command line
    status: ToolStatus = ToolStatus.RUNNING
    output: str = ""
    result: str = ""
    error: str = ""
    exit_code: int | None = None
    files: tuple[str, ...] = ()
    permission: str = ""  # what was asked, in full
    decision: str = ""  # how it was answered, and by whom
    started_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    parent_id: str = ""
    shell_output_seen: bool = False

    @property
    def duration_s(self) -> float | None:
        return None if self.finished_at is None else max(0.0, self.finished_at - self.started_at)

    @property
    def label(self) -> str:
        """Short text for a list row or a transcript marker."""
        what = self.command or self.title
        return f"{self.name}: {what}" if what and what != self.name else self.name


@dataclass(frozen=True)
class ToolChanged(Change):
    """A call started (``new``) or changed: its status, result or decision, or only its live
    ``output`` (which can change thousands of times a second)."""

    call: ToolCall
    new: bool
    output: bool = False


class ToolTimeline:
    """The tool calls in the order they started; a subscriber of a session's event hub."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._calls: dict[str, ToolCall] = {}
        self._current: dict[str, str] = {}  # an id as the CLI says it -> the call it means now
        self.changes: EventHub[ToolChanged] = EventHub("tool calls")

    @property
    def calls(self) -> list[ToolCall]:
        return list(self._calls.values())

    def get(self, call_id: str) -> ToolCall | None:
        """A call by its own id."""
        return self._calls.get(call_id)

    def current(self, cli_id: str) -> ToolCall | None:
        """The call an id from the CLI means now (the newest of the calls that reused it)."""
        return self._calls.get(self._current.get(cli_id, cli_id))

    def load(self, calls: list[ToolCall]) -> None:
        """A saved conversation's calls (no subscriber is told: nothing changed)."""
        self._calls = {c.id: c for c in calls}
        self._current = {}

    def clear(self) -> None:
        self._calls.clear()
        self._current.clear()

    def __call__(self, event: ChatEvent) -> None:
        match event:
            case ToolStarted():
                self._started(event)
            case ToolOutput():
                self._output(event)
            case ToolCompleted():
                self._completed(event)
            case PermissionAsked(prompt=prompt):
                call, new = self._call(prompt.tool_call_id or prompt.prompt_id, prompt.tool_name or "tool")
                call.status = ToolStatus.PENDING
                call.permission = f"{prompt.title}\n{prompt.detail}".strip()
                call.decision = "Waiting for your answer"
                self._tell(call, new)
            case PermissionAnswered(prompt=prompt, answer=answer, rule=rule):
                call, new = self._call(prompt.tool_call_id or prompt.prompt_id, prompt.tool_name or "tool")
                if not call.permission:
                    call.permission = f"{prompt.title}\n{prompt.detail}".strip()
                call.decision = f"Allowed by your rule: {describe_rule(rule)}" if rule else answer.describe()
                if not answer.allowed:
                    call.status = ToolStatus.DENIED
                    call.finished_at = self._clock()
                elif call.status is ToolStatus.PENDING:
                    call.status = ToolStatus.RUNNING
                self._tell(call, new)
            case _:
                pass

    def _call(self, call_id: str, name: str) -> tuple[ToolCall, bool]:
        call = self.current(call_id)
        if call is not None:
            return call, False
        return self._new(call_id, name), True

    def _new(self, call_id: str, name: str) -> ToolCall:
        own_id, n = call_id, 1
        while own_id in self._calls:
            n += 1
            own_id = f"{call_id}#{n}"
        if own_id != call_id:
            self._current[call_id] = own_id
        call = ToolCall(own_id, name, started_at=self._clock())
        self._calls[own_id] = call
        return call

    def _started(self, event: ToolStarted) -> None:
        known = self.current(event.tool_call_id)
        if known is not None and known.status in FINISHED:  # the id used again: a new call
            call, new = self._new(event.tool_call_id, event.tool_name), True
        else:
            call, new = self._call(event.tool_call_id, event.tool_name)
        call.name = event.tool_name or call.name
        call.title = event.title
        call.arguments = pretty_json(event.arguments)
        call.command = event.command or _command_from(event.arguments)
        call.parent_id = event.parent_tool_call_id
        if not new:
            call.started_at = min(call.started_at, self._clock())
        self._tell(call, new)

    def _output(self, event: ToolOutput) -> None:
        call = self.current(event.tool_call_id)
        if call is None or call.status in FINISHED:
            return
        if event.cumulative:
            if call.shell_output_seen:
                return  # the shell's own stream already gave us this text
            call.output = event.text[-OUTPUT_LIMIT:]
        else:
            call.shell_output_seen = True
            call.output = (call.output + event.text)[-OUTPUT_LIMIT:]
        self.changes.publish(ToolChanged(call, new=False, output=True))

    def _completed(self, event: ToolCompleted) -> None:
        call, new = self._call(event.tool_call_id, "tool")
        call.finished_at = self._clock()
        call.result = event.result
        call.error = event.error
        call.exit_code = event.exit_code
        call.files = event.files
        if call.status is not ToolStatus.DENIED:
            call.status = ToolStatus.DONE if event.success else ToolStatus.FAILED
        self._tell(call, new)

    def _tell(self, call: ToolCall, new: bool) -> None:
        self.changes.publish(ToolChanged(call, new))


def _command_from(arguments: Any) -> str:
    if isinstance(arguments, dict):
        command = arguments.get("command")
        return command if isinstance(command, str) else ""
    return ""
