"""Chat, Agent, Plan and Autopilot: the agent modes share Agent's folder and tools."""

from __future__ import annotations

from desktop_app.core.storage.stored_values import MODES
from desktop_app.core.vocabulary.access import MODE_DESCRIPTIONS, Mode, ToolAccess


def test_every_mode_but_chat_is_an_agent_mode_with_its_cli_mode() -> None:
    assert [m for m in Mode if m.agentic] == [Mode.AGENT, Mode.PLAN, Mode.AUTOPILOT]
    assert [m.cli_mode for m in Mode if m.agentic] == ["interactive", "plan", "autopilot"]
    assert [Mode.of_cli(m.cli_mode) for m in Mode if m.agentic] == [Mode.AGENT, Mode.PLAN, Mode.AUTOPILOT]
    assert Mode.of_cli("shell") is Mode.AGENT


def test_plan_and_autopilot_keep_their_folder_and_never_run_without_one() -> None:
    assert ToolAccess.of("plan", "/work") == ToolAccess(Mode.PLAN, "/work")
    assert ToolAccess.of("autopilot", "/work") == ToolAccess(Mode.AUTOPILOT, "/work")
    assert ToolAccess.of("autopilot", "") == ToolAccess()
    assert ToolAccess.of("chat", "/work") == ToolAccess()
    assert ToolAccess.of("allow-all", "/work") == ToolAccess()


def test_each_mode_is_stored_and_explained_in_one_line() -> None:
    assert MODES == ("chat", "agent", "plan", "autopilot")
    assert set(MODE_DESCRIPTIONS) == set(Mode)
    assert all("\n" not in line for line in MODE_DESCRIPTIONS.values())
    assert "permission rules still apply" in MODE_DESCRIPTIONS[Mode.AUTOPILOT]
