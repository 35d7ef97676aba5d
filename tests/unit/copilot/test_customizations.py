"""The CLI's answers about a session's customization, as the SDK types them, become plain values."""

from __future__ import annotations

from copilot.generated.rpc import AgentList, InstructionsGetSourcesResult, SkillList

from desktop_app.core.copilot.customizations import agents_of, instructions_of, skills_of
from desktop_app.core.vocabulary.customization import AgentInfo, InstructionInfo, SkillInfo

# As CLI 1.0.102 answered in Agent mode (the probe in core/config/customization.py).
SOURCES = {
    "sources": [
        {"content": "Be brief.", "id": "home-copilot", "label": "Home copilot-instructions.md",
         "location": "user", "sourcePath": "/home/u/.copilot/copilot-instructions.md", "type": "home"},
        {"content": "Tabs.", "id": "repo-copilot", "label": ".github/copilot-instructions.md",
         "location": "repository", "sourcePath": ".github/copilot-instructions.md", "type": "repo"},
    ]
}  # fmt: skip
SKILLS = {
    "skills": [
        {"description": "Greets people", "enabled": False, "name": "greet", "source": "project",
         "userInvocable": True, "path": "/p/.github/skills/greet/SKILL.md"},
    ]
}  # fmt: skip
AGENTS = {
    "agents": [
        {"description": "Reviews code", "displayName": "Critic", "id": "code-review", "name": "Critic",
         "source": "project", "tools": ["*"], "userInvocable": True},
    ]
}  # fmt: skip


def test_sources_skills_and_agents_are_read_from_the_sdks_types() -> None:
    assert instructions_of(InstructionsGetSourcesResult.from_dict(SOURCES)) == (
        InstructionInfo("Home copilot-instructions.md", "/home/u/.copilot/copilot-instructions.md", "user"),
        InstructionInfo(".github/copilot-instructions.md", ".github/copilot-instructions.md", "repository"),
    )
    assert skills_of(SkillList.from_dict(SKILLS)) == (SkillInfo("greet", "Greets people", "project", False),)
    critic = AgentInfo("Critic", "Critic", "Reviews code", "project")
    assert agents_of(AgentList.from_dict(AGENTS)) == (critic,)


def test_nothing_is_empty() -> None:
    assert instructions_of(None) == skills_of(object()) == agents_of(AgentList([])) == ()
