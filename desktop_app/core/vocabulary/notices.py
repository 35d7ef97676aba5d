"""What a chat window is doing and what its banner says: types rather than strings, and the words. No Qt.

The controller decides (``Phase``, ``Notice``); the window shows it. A kind picks the banner's buttons,
so a misspelt kind would silently lose them: an enum cannot be misspelt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    """Whether the window can send, and if not, why."""

    STARTING = "starting"
    READY = "ready"
    NEEDS_SIGN_IN = "needs_sign_in"
    NEEDS_ENDPOINT = "needs_endpoint"
    FAILED = "failed"


class NoticeKind(StrEnum):
    """What a banner notice is about; the window gives each kind its buttons."""

    STARTING = "starting"
    READY = "ready"
    SIGN_IN = "sign_in"  # Sign in with GitHub, Re-check, Use a model endpoint…, Try the demo
    ENDPOINT = "endpoint"  # Settings…
    FAILED = "failed"  # Retry, Settings…
    RETRYING = "retrying"  # Stop
    ERROR = "error"  # Dismiss
    INTERRUPTED = "interrupted"  # Regenerate (the reply cut off, asked again in its place)
    RESUME_FAILED = "resume_failed"  # Continue in a new session
    QUOTA = "quota"  # premium requests running out or used up: Copilot settings, Dismiss
    CLEAR = "clear"  # the banner goes


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Notice:
    """What the banner should say; ``kind`` picks its buttons."""

    kind: NoticeKind
    text: str
    level: Level = Level.INFO


# -- what the banner says, case by case (the controller decides when) -------------------------------

CLI_RETRIES = 5  # the Copilot CLI retries a failed model call this many times before giving up
CLEAR = Notice(NoticeKind.CLEAR, "")
STARTING = Notice(NoticeKind.STARTING, "Starting Copilot…")
NEEDS_ENDPOINT = Notice(
    NoticeKind.ENDPOINT, "Choose the endpoint's base URL and model in Settings.", Level.WARNING
)
CUT_OFF_AT_CLOSE = Notice(
    NoticeKind.INTERRUPTED, "The last reply was cut off when the app closed.", Level.WARNING
)
SESSION_GONE = Notice(
    NoticeKind.RESUME_FAILED,
    "Copilot no longer has this conversation's session, so it is shown read-only. You can continue "
    "it in a new session (the model will not see the earlier messages).",
    Level.WARNING,
)


def ready(demo: bool) -> Notice:
    return Notice(NoticeKind.READY, "Ready: answers come from the scripted demo model." if demo else "Ready.")


def failed_to_start(message: str) -> Notice:
    return Notice(NoticeKind.FAILED, message, Level.ERROR)


def error(message: str) -> Notice:
    return Notice(NoticeKind.ERROR, message, Level.ERROR)


def sign_in_needed() -> Notice:
    """Signed out: Sign in with GitHub (the terminal command is in the sign-in window's details)."""
    return Notice(
        NoticeKind.SIGN_IN,
        "You are not signed in to GitHub. Sign in with GitHub to use Copilot, or use a model endpoint "
        "instead.",
        Level.WARNING,
    )


def retrying(message: str, attempt: int, status: int) -> Notice:
    """A model call failed and the CLI tries again (``attempt``, ``status``: -1 when unknown)."""
    detail = f" (HTTP {status})" if status >= 0 else ""
    count = f" ({attempt + 1}/{CLI_RETRIES})" if attempt >= 0 else ""
    return Notice(
        NoticeKind.RETRYING,
        f"The model call failed{detail}: {message}\nCopilot is retrying{count}…",
        Level.WARNING,
    )


def cli_died(message: str) -> Notice:
    return Notice(
        NoticeKind.INTERRUPTED,
        f"{message}\nThe app starts it again and resumes this conversation; what arrived is "
        "kept. Regenerate asks your last message again, in its place.",
        Level.ERROR,
    )


def went_silent(limit_s: int) -> Notice:
    return Notice(
        NoticeKind.INTERRUPTED,
        f"No reply from the model for {limit_s} seconds, so it was stopped (Settings → "
        "Conversations sets this limit). Regenerate asks your message again, in its place.",
        Level.ERROR,
    )


def could_not_stop(message: str) -> Notice:
    return Notice(NoticeKind.ERROR, f"Could not stop the reply: {message}", Level.ERROR)
