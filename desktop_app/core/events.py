"""Typed chat events: the app's own vocabulary for what a Copilot session reports.

``from_sdk`` turns an SDK ``SessionEvent`` into one of these (or ``None`` for events the app does not
use, such as the CLI's ``model.*`` debug events that arrive as ``UNKNOWN``). It reads attributes only,
so it needs no SDK import and tests can feed it plain objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from desktop_app.core.permissions import Answer, PermissionPrompt, Rule


@dataclass(frozen=True)
class TurnStarted:
    turn_id: str


@dataclass(frozen=True)
class TextDelta:
    message_id: str
    text: str


@dataclass(frozen=True)
class ReasoningDelta:
    reasoning_id: str
    text: str


@dataclass(frozen=True)
class MessageCompleted:
    message_id: str
    content: str
    output_tokens: int | None
    has_tool_requests: bool


@dataclass(frozen=True)
class ReasoningCompleted:
    reasoning_id: str
    content: str


@dataclass(frozen=True)
class Usage:
    model: str
    input_tokens: int | None
    output_tokens: int | None
    duration_ms: float | None
    time_to_first_token_ms: float | None


@dataclass(frozen=True)
class CallFailed:
    """One model call failed; the CLI will retry (``assistant.turn_retry`` follows)."""

    message: str
    retry_attempt: int | None
    status_code: int | None


@dataclass(frozen=True)
class TurnRetrying:
    reason: str


@dataclass(frozen=True)
class SessionFailed:
    message: str
    error_type: str
    status_code: int | None


@dataclass(frozen=True)
class Idle:
    aborted: bool


@dataclass(frozen=True)
class TitleChanged:
    title: str


@dataclass(frozen=True)
class ToolStarted:
    tool_call_id: str
    tool_name: str
    arguments: Any
    title: str = ""  # the CLI's own words for it ("Running command")
    command: str = ""  # a shell tool's command line, as the CLI displays it
    parent_tool_call_id: str = ""  # set for calls a sub-agent makes inside another tool call


@dataclass(frozen=True)
class ToolOutput:
    """Live output of a running tool: a shell's new text, or a tool's whole output so far."""

    tool_call_id: str
    text: str
    cumulative: bool  # True: ``text`` replaces what came before (``tool.execution_partial_result``)
    stream: str = ""  # "stdout" / "stderr" for shell output


@dataclass(frozen=True)
class ToolCompleted:
    tool_call_id: str
    success: bool
    result: str
    error: str
    exit_code: int | None = None
    files: tuple[str, ...] = ()  # files the tool changed


@dataclass(frozen=True)
class PermissionAsked:
    """Not an SDK event: a tool waits for the user's answer (published by the app's broker)."""

    prompt: PermissionPrompt


@dataclass(frozen=True)
class PermissionAnswered:
    """Not an SDK event: how a request was answered; ``rule`` when a kept answer covered it."""

    prompt: PermissionPrompt
    answer: Answer
    rule: Rule | None = None


@dataclass(frozen=True)
class ContextUsage:
    """How full the session's context window is (``session.usage_info``)."""

    current_tokens: int
    token_limit: int


@dataclass(frozen=True)
class McpServerChanged:
    """An MCP server's state for this session: pending, connected, failed, disabled, or "off"
    (the app left it out: ``error`` says why)."""

    name: str
    status: str
    error: str = ""

    @property
    def problem(self) -> str:
        """A line for the transcript when the server is not usable, else ""."""
        if self.status == "off":
            return f"MCP server '{self.name}' is off: {self.error}"
        if self.status == "failed":
            return f"MCP server '{self.name}' failed to start: {self.error or 'no reason given'}"
        return ""


@dataclass(frozen=True)
class CompactionStarted:
    current_tokens: int | None
    token_limit: int | None


@dataclass(frozen=True)
class CompactionCompleted:
    success: bool
    pre_tokens: int | None
    post_tokens: int | None


def compaction_text(event: CompactionStarted | CompactionCompleted) -> str:
    """The transcript's marker for a compaction (shown live, and saved with the conversation)."""
    if isinstance(event, CompactionStarted):
        if event.current_tokens is not None and event.token_limit:
            return (
                f"Compacting the conversation: {event.current_tokens:,} of {event.token_limit:,} "
                "tokens used; older turns are being summarised…"
            )
        return "Compacting the conversation…"
    if not event.success:
        return "Compacting the conversation failed; it goes on uncompacted."
    if event.pre_tokens is not None and event.post_tokens is not None:
        removed = max(0, event.pre_tokens - event.post_tokens)
        return (
            f"Conversation compacted: {removed:,} tokens removed "
            f"({event.pre_tokens:,} → {event.post_tokens:,}); older turns are kept as a summary."
        )
    return "Conversation compacted; older turns are kept as a summary."


@dataclass(frozen=True)
class CliExited:
    """Not an SDK event: the app's watchdog saw the CLI process die."""

    message: str


ChatEvent = (
    McpServerChanged
    | TurnStarted
    | TextDelta
    | ReasoningDelta
    | MessageCompleted
    | ReasoningCompleted
    | Usage
    | CallFailed
    | TurnRetrying
    | SessionFailed
    | Idle
    | TitleChanged
    | ToolStarted
    | ToolOutput
    | ToolCompleted
    | PermissionAsked
    | PermissionAnswered
    | ContextUsage
    | CompactionStarted
    | CompactionCompleted
    | CliExited
)


def _int(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _ms(value: Any) -> float | None:
    """Milliseconds from the SDK's ``timedelta`` (or a plain number of milliseconds)."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds() * 1000.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def event_type(event: Any) -> str:
    kind = getattr(event, "type", None)
    return _str(getattr(kind, "value", kind))


def _is_subagent(event: Any) -> bool:
    """Events from sub-agents (``agent_id`` set) belong to a tool call, not to the visible reply."""
    return bool(getattr(event, "agent_id", None))


def _tool_result_text(result: Any) -> str:
    if result is None:
        return ""
    content = getattr(result, "content", None)
    if content is None and isinstance(result, dict):
        content = result.get("content")
    return _str(content)


def _edit_path(edit: Any) -> Any:
    for name in ("path", "file_path", "file_name"):
        value = edit.get(name) if isinstance(edit, dict) else getattr(edit, name, None)
        if value:
            return value
    return None


def from_sdk(event: Any) -> ChatEvent | None:
    """Map one SDK session event to a ``ChatEvent``; ``None`` means 'not used by the app'."""
    kind = event_type(event)
    data = getattr(event, "data", None)
    if data is None:
        return None

    def get(name: str) -> Any:
        return getattr(data, name, None)

    if kind == "assistant.message_delta":
        if _is_subagent(event) or get("parent_tool_call_id"):
            return None
        return TextDelta(_str(get("message_id")), _str(get("delta_content")))
    if kind == "assistant.reasoning_delta":
        if _is_subagent(event):
            return None
        return ReasoningDelta(_str(get("reasoning_id")), _str(get("delta_content")))
    if kind == "assistant.message":
        if _is_subagent(event) or get("parent_tool_call_id"):
            return None
        return MessageCompleted(
            _str(get("message_id")),
            _str(get("content")),
            _int(get("output_tokens")),
            bool(get("tool_requests")),
        )
    if kind == "assistant.reasoning":
        return ReasoningCompleted(_str(get("reasoning_id")), _str(get("content")))
    if kind == "assistant.turn_start":
        return TurnStarted(_str(get("turn_id")))
    if kind == "assistant.usage":
        return Usage(
            _str(get("model")),
            _int(get("input_tokens")),
            _int(get("output_tokens")),
            _ms(get("duration")),
            _ms(get("time_to_first_token")),
        )
    if kind == "model.call_failure":
        return CallFailed(
            _str(get("error_message")) or "The model call failed.",
            _int(get("retry_attempt")),
            _int(get("status_code")),
        )
    if kind == "assistant.turn_retry":
        return TurnRetrying(_str(get("reason")))
    if kind == "session.error":
        return SessionFailed(
            _str(get("message")) or "The session reported an error.",
            _str(get("error_type")),
            _int(get("status_code")),
        )
    if kind == "session.idle":
        if _is_subagent(event):
            return None
        return Idle(bool(get("aborted")))
    if kind == "session.title_changed":
        return TitleChanged(_str(get("title")))
    if kind == "tool.execution_start":
        shell = get("shell_tool_info")
        return ToolStarted(
            _str(get("tool_call_id")),
            _str(get("tool_name")),
            get("arguments"),
            _str(get("tool_title")),
            _str(getattr(shell, "display_command", None)) if shell is not None else "",
            _str(get("parent_tool_call_id")),
        )
    if kind == "tool.shell_output":
        stream = get("stream")
        return ToolOutput(
            _str(get("tool_call_id")), _str(get("text")), False, _str(getattr(stream, "value", stream))
        )
    if kind == "tool.execution_partial_result":
        return ToolOutput(_str(get("tool_call_id")), _str(get("partial_output")), True)
    if kind == "tool.execution_complete":
        error = get("error")
        shell = get("shell_execution")
        edits = get("file_edits") or []
        files = tuple(dict.fromkeys(_str(_edit_path(e)) for e in edits if _edit_path(e)))
        return ToolCompleted(
            _str(get("tool_call_id")),
            bool(get("success")),
            _tool_result_text(get("result")),
            _str(getattr(error, "message", error)) if error else "",
            _int(getattr(shell, "exit_code", None)) if shell is not None else None,
            files,
        )
    if kind == "session.usage_info":
        current, limit = _int(get("current_tokens")), _int(get("token_limit"))
        if current is None or not limit:
            return None
        return ContextUsage(current, limit)
    if kind == "session.mcp_server_status_changed":
        status = get("status")
        return McpServerChanged(
            _str(get("server_name")), _str(getattr(status, "value", status)), _str(get("error"))
        )
    if kind == "session.compaction_start":
        return CompactionStarted(_int(get("current_tokens")), _int(get("token_limit")))
    if kind == "session.compaction_complete":
        return CompactionCompleted(
            bool(get("success")),
            _int(get("pre_compaction_tokens")),
            _int(get("post_compaction_tokens")),
        )
    return None
