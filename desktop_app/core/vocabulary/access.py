"""What a conversation's model may do on this machine: Chat (the app's own tools), or one of the
agent modes (the CLI's built-in tools, in a folder the user picked): Agent asks between steps, Plan
writes a plan first and waits for "Start building", Autopilot goes on without asking between steps
(every tool call still goes through the permission rules). Shared vocabulary: the store, the service
and the UI all speak it, so it lives apart from each of them. No Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    CHAT = "chat"  # no built-in CLI tools: only the app's own safe ones
    AGENT = "agent"  # the CLI's built-in tools, in a folder the user picked
    PLAN = "plan"  # Agent's tools and folder; the CLI's plan mode: a plan first, then approval
    AUTOPILOT = "autopilot"  # Agent's tools and folder; the CLI's autopilot: no pause between steps

    @property
    def agentic(self) -> bool:
        """The CLI's built-in tools in a folder: every mode but Chat."""
        return self is not Mode.CHAT

    @property
    def cli_mode(self) -> str:
        """The CLI's session mode (``session.mode.set``) for an agent mode."""
        return {Mode.PLAN: "plan", Mode.AUTOPILOT: "autopilot"}.get(self, "interactive")

    @classmethod
    def of_cli(cls, cli_mode: str) -> Mode:
        """The agent mode the CLI says it is in (it leaves plan mode itself once a plan is approved)."""
        return {"plan": Mode.PLAN, "autopilot": Mode.AUTOPILOT}.get(cli_mode, Mode.AGENT)


MODE_DESCRIPTIONS = {
    Mode.CHAT: "Chat: only the app's own safe tools (calculator, clock).",
    Mode.AGENT: "Agent: Copilot's built-in tools work in a folder you choose; each action asks first.",
    Mode.PLAN: "Plan: Copilot writes a plan first and shows it; it builds once you click Start building.",
    Mode.AUTOPILOT: "Autopilot: Copilot goes on without pausing between steps; permission rules still apply.",
}


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
        if chosen.agentic and not working_directory:
            chosen = Mode.CHAT  # an agent never runs without a folder the user chose
        return cls(chosen, working_directory if chosen.agentic else "")
