"""The events of Plan mode, as the window sees them (``core.copilot.plan_desk`` makes them). No Qt."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanShown:
    """The session's plan (its plan.md, markdown written by the model: untrusted) as it is now."""

    content: str


@dataclass(frozen=True)
class PlanAsked:
    """The model asks to leave plan mode and build (``exit_plan_mode``); the CLI waits for the answer."""

    summary: str
    content: str


@dataclass(frozen=True)
class PlanSettled:
    """The request to build was answered, or withdrawn (a stop, a closed window, a dead CLI)."""

    approved: bool


@dataclass(frozen=True)
class CliModeChanged:
    """The CLI's session mode changed ("interactive", "plan", "autopilot"): it leaves plan mode itself
    once a plan is approved (``session.mode_changed``)."""

    mode: str


@dataclass(frozen=True)
class PlanChanged:
    """The CLI says the plan file changed (``session.plan_changed``); the desk reads it again."""
