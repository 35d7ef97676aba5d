"""What a conversation's model may do on this machine: Chat (the app's own tools) or Agent (the CLI's
built-in tools, in a folder the user picked). Shared vocabulary: the store, the service and the UI all
speak it, so it lives apart from each of them. No Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    CHAT = "chat"  # no built-in CLI tools: only the app's own safe ones
    AGENT = "agent"  # the CLI's built-in tools, in a folder the user picked


@dataclass(frozen=True)
class ToolAccess:
    """What a session's model may do on this machine."""

    mode: Mode = Mode.CHAT
    working_directory: str = ""

    @classmethod
    def of(cls, mode: str, working_directory: str) -> ToolAccess:
        try:
            chosen = Mode(mode)
        except ValueError:
            chosen = Mode.CHAT
        if chosen is Mode.AGENT and not working_directory:
            chosen = Mode.CHAT  # an agent never runs without a folder the user chose
        return cls(chosen, working_directory if chosen is Mode.AGENT else "")
