"""Restore checkpoint: what putting a conversation and its files back to just before a prompt will
change, what it did, and how both are said. No Qt, no SDK types (``ChatSession`` converts them).

Measured on CLI 1.0.102 with ``enable_file_change_tracking``: ``history.preview_rewind`` lists each
file the later turns created, modified or deleted (with line counts); ``history.rewind`` with files
puts them back, and a file the user changed since is not overwritten but reported as skipped
("user-modified"), so the app names it instead of losing the user's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath


@dataclass(frozen=True)
class FileChange:
    path: str
    change: str  # what the later turns did to it: "created", "modified" or "deleted"
    added: int = 0
    removed: int = 0


@dataclass(frozen=True)
class RewindPreview:
    available: bool  # False: the files cannot be put back (``reason`` says why); the conversation can
    files: list[FileChange] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class RewindOutcome:
    """``error`` "": the conversation went back (and the files, but for ``skipped``)."""

    restored: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    error: str = ""


# ``history.rewind`` outcomes after which the conversation is back at the checkpoint.
REWOUND = frozenset({"success", "checkpoint-cleanup-failed", "snapshot-prune-failed"})


def _undo(change: FileChange) -> str:
    """What restoring does to a file, by what the later turns did to it."""
    if change.change == "created":
        return "deleted (created since)"
    if change.change == "deleted":
        return "restored (deleted since)"
    counts = f" (undoes +{change.added} −{change.removed})" if change.added or change.removed else ""
    return f"put back{counts}"


MAX_LISTED = 12  # files named in the confirmation; the rest are counted


def _name(path: str, folder: str) -> str:
    try:
        return str(PurePath(path).relative_to(folder)) if folder else path
    except ValueError:
        return path


def confirmation(preview: RewindPreview, folder: str = "") -> str:
    """The question before restoring: the conversation, and each file and what will happen to it."""
    lines = ["The conversation goes back to just before this prompt; what followed is kept as a version."]
    if not preview.available:
        why = f" ({preview.reason})" if preview.reason else ""
        lines.append(f"Files cannot be put back for this conversation{why}: only the conversation is.")
        return "\n".join(lines)
    if not preview.files:
        lines.append("No file changed since then.")
        return "\n".join(lines)
    lines.append("These files are put back as they were:")
    for change in preview.files[:MAX_LISTED]:
        lines.append(f"• {_name(change.path, folder)}: {_undo(change)}")
    if len(preview.files) > MAX_LISTED:
        lines.append(f"…and {len(preview.files) - MAX_LISTED} more.")
    lines.append("A file you changed yourself since then is left as it is.")
    return "\n".join(lines)


def outcome_text(outcome: RewindOutcome, folder: str = "") -> str:
    """What restoring did, for the banner."""
    if outcome.error:
        return f"The checkpoint could not be restored: {outcome.error}"
    parts = ["Restored the checkpoint"]
    if outcome.restored:
        count = len(outcome.restored)
        parts.append(f": {count} file{'s' * (count != 1)} put back")
    text = "".join(parts) + "."
    if outcome.skipped:
        names = ", ".join(_name(path, folder) for path, _why in outcome.skipped[:MAX_LISTED])
        text += f" Left as you changed them: {names}."
    return text
