"""How a tool call came out, in a word or two: "allowed", "denied", "exit code 1", "done". No Qt.

The chat's tool markers and the tool panel say it, so the user sees at a glance whether a command was
allowed and how it ended, without reading the CLI's own words for it (its titles say "Running
command" even once the command is over). A shell tool's exit code comes with the event when the SDK
reports it; otherwise the Copilot CLI ends the result with ``<exited with exit code N>``, which is
read from the end of that (untrusted) text only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.core.conversation.tool_calls import TOOL_INTERRUPTED, ToolCall, ToolStatus

# The CLI's own trailer on a shell tool's result; only a trailer counts (a command's output may
# contain the same words, e.g. a log it printed).
_EXIT_TRAILER = re.compile(r"<exited with exit code (-?[0-9]{1,10})>\s*\Z")
_TAIL = 200  # characters at the end of the result looked at: the trailer is short
_EXIT_RANGE = range(-(2**31), 2**32)  # what a process's exit status can be, on any system
_DETAIL_LIMIT = 300  # characters of an error quoted in the detail


class OutcomeLevel(StrEnum):
    OK = "ok"
    ERROR = "error"
    RUNNING = "running"  # not over yet (running, or waiting for the user's answer)


@dataclass(frozen=True)
class ToolOutcome:
    text: str  # a short label: "allowed", "denied", "exit code 1", "done", "failed", "running"
    level: OutcomeLevel
    detail: str  # one line with the rest: how it was answered, what went wrong


def tool_outcome(call: ToolCall) -> ToolOutcome:
    """The outcome of ``call`` as it stands now."""
    answer = "" if call.status is ToolStatus.PENDING else _one_line(call.decision)
    allowed = _is_allowance(answer)
    if call.status is ToolStatus.PENDING:
        return ToolOutcome("waiting for approval", OutcomeLevel.RUNNING, "Waiting for your answer")
    if call.status is ToolStatus.RUNNING:
        return ToolOutcome(
            "allowed" if allowed else "running", OutcomeLevel.RUNNING, _join(answer, "Running")
        )
    if call.status is ToolStatus.DENIED:
        return ToolOutcome("denied", OutcomeLevel.ERROR, answer or "Denied")
    error = _first_line(call.error)
    if call.error == TOOL_INTERRUPTED:
        return ToolOutcome("interrupted", OutcomeLevel.ERROR, _join(answer, "Interrupted before it finished"))
    code = exit_code_of(call)
    failed = call.status is ToolStatus.FAILED
    if code is not None and not (failed and code == 0):
        level = OutcomeLevel.ERROR if code != 0 or failed else OutcomeLevel.OK
        return ToolOutcome(f"exit code {code}", level, _join(answer, f"Exited with code {code}", error))
    if failed:
        return ToolOutcome("failed", OutcomeLevel.ERROR, _join(answer, "Failed", error))
    return ToolOutcome("allowed" if allowed else "done", OutcomeLevel.OK, _join(answer, "Done"))


def exit_code_of(call: ToolCall) -> int | None:
    """The exit code the SDK reported, else the one the CLI's result ends with (None: not a shell
    tool, or it never said)."""
    if call.exit_code is not None:
        return call.exit_code if call.exit_code in _EXIT_RANGE else None
    return parse_exit_code(call.result) if call.result else parse_exit_code(call.output)


def parse_exit_code(text: str) -> int | None:
    """The code of a trailing ``<exited with exit code N>``; None when the text does not end so."""
    match = _EXIT_TRAILER.search(text[-_TAIL:])
    if match is None:
        return None
    code = int(match.group(1))
    return code if code in _EXIT_RANGE else None


def _is_allowance(decision: str) -> bool:
    """Does this decision (``Answer.describe()``, or a kept rule's) say the call was allowed?"""
    lowered = decision.casefold()
    return lowered.startswith("allowed") or lowered.startswith("always allowed")


def _first_line(text: str) -> str:
    """An error's first line that says something, capped."""
    return _one_line(next((part for part in text.splitlines() if part.strip()), ""))


def _one_line(text: str) -> str:
    """Whitespace and line breaks collapsed, capped: the detail is one line."""
    line = " ".join(text.split())
    return line if len(line) <= _DETAIL_LIMIT else line[: _DETAIL_LIMIT - 1] + "…"


def _join(*parts: str) -> str:
    return " · ".join(part for part in parts if part)
