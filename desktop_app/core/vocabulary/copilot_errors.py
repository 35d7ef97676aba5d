"""Failures of the Copilot CLI and SDK, and the sentences the user reads for them. No Qt, no SDK import:
the window words an error without importing the service that raised it.
"""

from __future__ import annotations


class CliDiedError(RuntimeError):
    """The CLI process is gone (seen by the app's watch); the message is meant for the user."""


class CopilotUnavailableError(RuntimeError):
    """The CLI could not be started or reached; the message is meant for the user."""


class EndpointError(RuntimeError):
    """An OpenAI-compatible endpoint could not list its models; the message is meant for the user."""


def describe_error(exc: BaseException) -> str:
    """A user-facing sentence for an SDK or CLI failure."""
    name = type(exc).__name__
    text = str(exc).strip() or name
    if name == "ProcessExitedError":
        return f"The Copilot CLI stopped unexpectedly ({text})."
    if isinstance(exc, FileNotFoundError):
        return f"The Copilot CLI could not be started: {text}"
    return text
