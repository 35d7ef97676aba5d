"""Turns a session's ``ChatEvent``s into typed Qt signals for widgets to connect to."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import SIGNAL, QObject, Signal

from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.events import (
    CallFailed,
    ChatEvent,
    CliExited,
    CompactionCompleted,
    CompactionStarted,
    ContextUsage,
    Idle,
    McpServerChanged,
    MessageCompleted,
    PermissionAnswered,
    PermissionAsked,
    QuestionAnswered,
    QuestionAsked,
    ReasoningCompleted,
    ReasoningDelta,
    SessionFailed,
    TextDelta,
    TitleChanged,
    ToolCompleted,
    ToolStarted,
    TurnRetrying,
    TurnStarted,
    Usage,
    compaction_text,
)
from desktop_app.core.vocabulary.permission_requests import PermissionPrompt
from desktop_app.core.vocabulary.plan_events import CliModeChanged, PlanAsked, PlanSettled, PlanShown
from desktop_app.core.vocabulary.questions import UserQuestion

log = logging.getLogger(__name__)
TEXT_DELTA = SIGNAL("text_delta(QString)")


class SessionBridge(QObject):
    """One subscriber of a session's event hub, re-emitting each event as a Qt signal.

    Signals:
        turn_started(): the model started a turn.
        text_delta(str): a piece of the visible reply.
        reasoning_delta(str): a piece of the model's reasoning.
        message_completed(str, bool): the full text of an assistant message; True when the model
            also called tools (the reply goes on after them).
        reasoning_completed(str): the full reasoning text.
        usage(Usage): tokens, timing, model.
        call_failed(str, int, int): a model call failed (message, retry attempt or -1, HTTP status
            or -1); a retry follows.
        turn_retrying(str): the CLI is retrying the turn (reason).
        session_failed(str, bool): the turn failed for good (message; True for a quota refusal, which
            the usage watch words with its own banner: ``ui.controller.usage``).
        idle(bool): the turn ended; True when it was aborted.
        title_changed(str): the session got a title.
        tool_started(ToolStarted): id, name, arguments, title, command.
        tool_completed(str, bool, str): tool call id, success, result or error text.
        permission_asked(PermissionPrompt): a request waiting for the user.
        permission_answered(PermissionAnswered): the prompt, the answer, the rule.
        question_asked(UserQuestion): the agent's ``ask_user`` question, waiting for the user.
        question_answered(QuestionAnswered): it was answered or cancelled.
        context_usage(int, int): tokens in the session's context, and its limit.
        compaction(str): context compaction started or finished (a message for the user).
        cli_exited(str): the CLI process died mid-reply (message).
        mcp_status(McpServerChanged): a server's state in this session.
        plan_event(object): Plan mode's ``PlanShown``, ``PlanAsked``, ``PlanSettled``, ``CliModeChanged``.
    """

    turn_started = Signal()
    text_delta = Signal(str)
    reasoning_delta = Signal(str)
    message_completed = Signal(str, bool)
    reasoning_completed = Signal(str)
    usage = Signal(Usage)
    call_failed = Signal(str, int, int)
    turn_retrying = Signal(str)
    session_failed = Signal(str, bool)
    idle = Signal(bool)
    title_changed = Signal(str)
    tool_started = Signal(ToolStarted)
    tool_completed = Signal(str, bool, str)
    permission_asked = Signal(PermissionPrompt)
    permission_answered = Signal(PermissionAnswered)
    question_asked = Signal(UserQuestion)
    question_answered = Signal(QuestionAnswered)
    context_usage = Signal(int, int)
    compaction = Signal(str)
    cli_exited = Signal(str)
    mcp_status = Signal(McpServerChanged)
    plan_event = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = None
        self._token_limit = 0

    def attach(self, hub: EventHub[ChatEvent]) -> None:
        self.detach()
        self._unsubscribe = hub.subscribe(self.dispatch)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def dispatch(self, event: ChatEvent) -> None:
        match event:
            case TextDelta(text=text):
                if self.receivers(TEXT_DELTA):  # one a delta: emitted to nobody, it still cost 30 µs
                    self.text_delta.emit(text)
            case ReasoningDelta(text=text):
                self.reasoning_delta.emit(text)
            case TurnStarted():
                self.turn_started.emit()
            case MessageCompleted(content=content, has_tool_requests=has_tools):
                self.message_completed.emit(content, has_tools)
            case ReasoningCompleted(content=content):
                self.reasoning_completed.emit(content)
            case Usage():
                self.usage.emit(event)
            case CallFailed(message=message, retry_attempt=attempt, status_code=status):
                self.call_failed.emit(
                    message, -1 if attempt is None else attempt, -1 if status is None else status
                )
            case TurnRetrying(reason=reason):
                self.turn_retrying.emit(reason)
            case SessionFailed(message=message):
                self.session_failed.emit(message, event.quota_refused)
            case Idle(aborted=aborted):
                self.idle.emit(aborted)
            case TitleChanged(title=title):
                self.title_changed.emit(title)
            case ToolStarted(parent_tool_call_id=""):
                self.tool_started.emit(event)
            case PermissionAsked(prompt=prompt):
                self.permission_asked.emit(prompt)
            case PermissionAnswered():
                self.permission_answered.emit(event)
            case QuestionAsked(question=question):
                self.question_asked.emit(question)
            case QuestionAnswered():
                self.question_answered.emit(event)
            case ContextUsage(current_tokens=current, token_limit=limit):
                self._token_limit = limit
                self.context_usage.emit(current, limit)
            case ToolCompleted(tool_call_id=call_id, success=success, result=result, error=error):
                self.tool_completed.emit(call_id, success, result if success else error)
            case McpServerChanged():
                self.mcp_status.emit(event)
            case CompactionStarted():
                self._token_limit = event.token_limit or self._token_limit
                self.compaction.emit(compaction_text(event))
            case CompactionCompleted(success=ok, post_tokens=post):
                self.compaction.emit(compaction_text(event))
                if ok and post is not None and self._token_limit:
                    self.context_usage.emit(post, self._token_limit)  # the meter drops at once
            case CliExited(message=message):
                self.cli_exited.emit(message)
            case PlanShown() | PlanAsked() | PlanSettled() | CliModeChanged():
                self.plan_event.emit(event)
