"""SDK session events to the app's typed events (``from_sdk``), on the SDK's thread.

The shapes are ``core.vocabulary.events``; this is the one place that reads the SDK's, so a change in
the CLI's event payloads is met here and nowhere else.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desktop_app.core.vocabulary.events import (
    CallFailed,
    ChatEvent,
    CompactionCompleted,
    CompactionStarted,
    ContextUsage,
    Idle,
    McpServerChanged,
    MessageCompleted,
    ReasoningCompleted,
    ReasoningDelta,
    SessionFailed,
    SessionLimitReached,
    TextDelta,
    TitleChanged,
    ToolCompleted,
    ToolOutput,
    ToolStarted,
    TurnRetrying,
    TurnStarted,
    Usage,
    UserMessage,
)
from desktop_app.core.vocabulary.plan_events import CliModeChanged, PlanChanged
from desktop_app.core.vocabulary.usage import wording
from desktop_app.core.vocabulary.usage.quota import count


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


def _cost(value: Any) -> float | None:
    """Premium requests a call used: a finite, non-negative number, else not known."""
    number = count(value)
    return number if number or value == 0 else None


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
    if kind == "session.mode_changed":
        return CliModeChanged(_str(getattr(get("new_mode"), "value", get("new_mode"))))
    if kind == "session.plan_changed":
        return PlanChanged()
    if kind == "assistant.turn_start":
        return TurnStarted(_str(get("turn_id")))
    if kind == "assistant.usage":
        return Usage(
            _str(get("model")),
            _int(get("input_tokens")),
            _int(get("output_tokens")),
            _ms(get("duration")),
            _ms(get("time_to_first_token")),
            _cost(get("cost")),
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
            _str(get("error_code")),
        )
    if kind == "session_limits_exhausted.requested":
        credits, most = count(get("used_ai_credits")), count(get("max_ai_credits"))
        words = wording.session_limit(credits, most)
        return SessionLimitReached(_str(get("request_id")), credits, most, words)
    if kind == "session.idle":
        if _is_subagent(event):
            return None
        return Idle(bool(get("aborted")))
    if kind == "user.message":
        if _is_subagent(event):
            return None
        return UserMessage(_str(get("content")))
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
