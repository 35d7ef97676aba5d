"""Typed chat events: the app's own vocabulary for what a Copilot session reports.

``core.copilot.event_mapping.from_sdk`` turns an SDK ``SessionEvent`` into one of these (or ``None``
for events the app does not use); everything above the Copilot boundary sees only these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app.core.vocabulary.permission_requests import Answer, PermissionPrompt, Rule
from desktop_app.core.vocabulary.plan_events import (
    CliModeChanged,
    PlanAsked,
    PlanChanged,
    PlanSettled,
    PlanShown,
)
from desktop_app.core.vocabulary.questions import QuestionReply, UserQuestion


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
    cost: float | None = None  # premium requests this call used (the model's multiplier; 0 when included)


@dataclass(frozen=True)
class CallFailed:
    """One model call failed; the CLI will retry (``assistant.turn_retry`` follows)."""

    message: str
    retry_attempt: int | None
    status_code: int | None


@dataclass(frozen=True)
class TurnRetrying:
    reason: str


QUOTA_ERROR_CODES = frozenset({"quota_exceeded"})


@dataclass(frozen=True)
class SessionFailed:
    message: str
    error_type: str
    status_code: int | None
    error_code: str = ""

    @property
    def quota_refused(self) -> bool:
        """GitHub refused the request because the premium requests are used up (HTTP 402)."""
        return self.error_type == "quota" or self.error_code in QUOTA_ERROR_CODES or self.status_code == 402


@dataclass(frozen=True)
class SessionLimitReached:
    """``session_limits_exhausted.requested``: the session's own AI-credit limit stopped a request.

    The CLI waits for an answer (raise the limit, or cancel); the session cancels at once, since the
    app never sets such a limit and asks nobody to raise one. ``message`` is the user's words for it.
    """

    request_id: str
    used_ai_credits: float
    max_ai_credits: float
    message: str


@dataclass(frozen=True)
class Idle:
    aborted: bool


@dataclass(frozen=True)
class UserMessage:
    """The CLI took a user prompt into the conversation (for a steering prompt: mid-reply)."""

    content: str


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
class QuestionAsked:
    """Not an SDK event: the agent's ``ask_user`` question waits for the user (the app's broker)."""

    question: UserQuestion


@dataclass(frozen=True)
class QuestionAnswered:
    """Not an SDK event: the question was answered or cancelled."""

    question: UserQuestion
    reply: QuestionReply


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
    | SessionLimitReached
    | Idle
    | UserMessage
    | TitleChanged
    | ToolStarted
    | ToolOutput
    | ToolCompleted
    | PermissionAsked
    | PermissionAnswered
    | QuestionAsked
    | QuestionAnswered
    | ContextUsage
    | CompactionStarted
    | CompactionCompleted
    | CliExited
    | PlanShown
    | PlanAsked
    | PlanSettled
    | PlanChanged
    | CliModeChanged
)
