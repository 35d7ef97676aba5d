"""The diff a file-editing tool call made, built from the call's own arguments. No Qt.

What the pinned CLI (``@github/copilot@1.0.102``) gives, probed end to end with a scripted model:

- ``create`` has ``{"path", "file_text"}``; ``edit`` has ``{"path", "old_str", "new_str"}`` (one
  replacement; ``path`` absolute). Both ask a ``write`` permission whose request carries the whole
  ``before``/``after`` text and a git-style diff.
- ``tool.execution_complete`` carries ``fileEdits: [{"kind": "create"|"edit", "path"}]`` (no text;
  the app keeps the paths as ``ToolCall.files``) and ``result.detailedContent``, the same git diff.
  Neither is stored today. There is no delete tool: ``rm`` in the shell reports no file edits.
- No ``session.workspace_file_changed`` event comes for files in the working folder.
- ``session.rpc.workspaces.diff(mode=session)`` without ``enable_file_change_tracking=True`` falls
  back (``isFallback``, ``unavailableReason: file-change-tracking-disabled``); with it, it gives the
  session's *net* change per file (a file created then removed is gone), relative paths, and with
  ``include_contents`` the before/after text. It needs the SDK's loop (``host.call``).

So a call's diff is derived from its stored arguments: the same after a restart with no schema
change, and no file is ever read (nothing outside the working folder can leak in). An ``edit``'s
diff is of the replaced snippet (no surrounding context, no line numbers). Inputs are model output:
they are capped, and text with NUL bytes is shown as binary.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus

MAX_INPUT_CHARS = 200_000  # of each side; beyond it the diff says it was cut
MAX_LINES = 2_000  # diff lines kept
MAX_LINE_CHARS = 400  # characters kept of each line


class LineKind(StrEnum):
    ADDED = "+"
    REMOVED = "-"
    CONTEXT = " "
    HUNK = "@"


@dataclass(frozen=True)
class FileDiff:
    """One call's change to one file: its lines (kind, text), counts, and whether it was cut."""

    call_id: str
    path: str
    created: bool
    lines: tuple[tuple[LineKind, str], ...]
    added: int
    removed: int
    truncated: bool = False
    binary: bool = False


@dataclass(frozen=True)
class FileTotal:
    """A file in a turn's Changes summary: every call that touched it, the last one first to open."""

    path: str
    added: int
    removed: int
    call_id: str  # the newest call that changed it (its diff opens from the summary)
    created: bool


def _split(text: str) -> list[str]:
    """Lines without their endings (``\\r\\n``, ``\\n`` or ``\\r``); no phantom last line."""
    return text.splitlines()


def build_diff(call_id: str, path: str, old: str, new: str, created: bool = False) -> FileDiff:
    """A unified diff of ``old`` -> ``new`` (all lines added when ``created``), bounded."""
    import difflib  # here: start-up does not pay for it (the app imports it once the window shows)

    truncated = len(old) > MAX_INPUT_CHARS or len(new) > MAX_INPUT_CHARS
    old, new = old[:MAX_INPUT_CHARS], new[:MAX_INPUT_CHARS]
    if "\x00" in old or "\x00" in new:
        return FileDiff(call_id, path, created, (), 0, 0, truncated, binary=True)
    lines: list[tuple[LineKind, str]] = []
    added = removed = 0
    for line in difflib.unified_diff(_split(old), _split(new), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = LineKind(line[0]) if line and line[0] in "+- @" else LineKind.CONTEXT
        if kind is LineKind.ADDED:
            added += 1
        elif kind is LineKind.REMOVED:
            removed += 1
        if len(lines) < MAX_LINES:
            body = line if kind is LineKind.HUNK else line[1:]
            if len(body) > MAX_LINE_CHARS:
                body, truncated = body[:MAX_LINE_CHARS] + "…", True
            lines.append((kind, body))
        else:
            truncated = True
    return FileDiff(call_id, path, created, tuple(lines), added, removed, truncated)


def _arguments(arguments: str) -> dict[str, object]:
    try:
        parsed = json.loads(arguments) if arguments else {}
    except (ValueError, RecursionError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def diff_of_call(call_id: str, name: str, arguments: str) -> FileDiff | None:
    """The diff of a ``create`` or ``edit`` call from its (JSON) arguments; None for other tools
    or arguments that are not what those tools take."""
    if name not in ("create", "edit"):
        return None
    args = _arguments(arguments)
    path = args.get("path")
    if not isinstance(path, str) or not path:
        return None
    if name == "create":
        text = args.get("file_text", "")
        return build_diff(call_id, path, "", text, created=True) if isinstance(text, str) else None
    old, new = args.get("old_str", ""), args.get("new_str", "")
    if not isinstance(old, str) or not isinstance(new, str):
        return None
    return build_diff(call_id, path, old, new)


def diff_of(call: ToolCall) -> FileDiff | None:
    """What a call changed: only a call that ran and succeeded changed anything."""
    return diff_of_call(call.id, call.name, call.arguments) if call.status is ToolStatus.DONE else None


def totals(diffs: Iterable[FileDiff]) -> list[FileTotal]:
    """Each file once, in the order first touched, with the turn's +/- counts summed."""
    seen: dict[str, FileTotal] = {}
    for diff in diffs:
        before = seen.get(diff.path)
        if before is None:
            seen[diff.path] = FileTotal(diff.path, diff.added, diff.removed, diff.call_id, diff.created)
        else:
            seen[diff.path] = FileTotal(
                diff.path, before.added + diff.added, before.removed + diff.removed, diff.call_id,
                before.created,
            )  # fmt: skip
    return list(seen.values())
