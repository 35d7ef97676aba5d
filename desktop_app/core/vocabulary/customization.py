"""What customises a session, as the CLI reports it: its instructions and where each comes from, its
skills, its custom agents and the one in use. Plain values for the settings page and the window.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InstructionInfo:
    label: str
    path: str
    location: str  # "user", "repository", "working-directory", "plugin"


@dataclass(frozen=True)
class SkillInfo:
    name: str
    description: str
    source: str
    enabled: bool


@dataclass(frozen=True)
class AgentInfo:
    name: str  # what ``agent.select`` takes
    display_name: str
    description: str
    source: str  # "project", "user", …

    @property
    def label(self) -> str:
        return self.display_name or self.name


@dataclass(frozen=True)
class SessionCustomization:
    instructions: tuple[InstructionInfo, ...] = ()
    skills: tuple[SkillInfo, ...] = ()
    agents: tuple[AgentInfo, ...] = ()
    current_agent: str = ""  # "": the default agent
