"""What customises a live session, as the CLI reports it: the instructions in effect and where each
comes from (``instructions.get_sources``), the skills (``skills.list``) and the custom agents
(``agent.list``, ``agent.get_current``); and choosing an agent for it (``agent.select``/``deselect``).
See ``core/config/customization.py`` for what the CLI reads and how it was probed.
"""

from __future__ import annotations

from typing import Any

from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.vocabulary.customization import (
    AgentInfo,
    InstructionInfo,
    SessionCustomization,
    SkillInfo,
)


def _text(value: Any) -> str:
    return str(getattr(value, "value", value) or "")


def instructions_of(result: Any) -> tuple[InstructionInfo, ...]:
    return tuple(
        InstructionInfo(_text(s.label), _text(s.source_path), _text(s.location))
        for s in (getattr(result, "sources", None) or [])
    )


def skills_of(result: Any) -> tuple[SkillInfo, ...]:
    return tuple(
        SkillInfo(_text(s.name), _text(s.description), _text(s.source), bool(s.enabled))
        for s in (getattr(result, "skills", None) or [])
    )


def agents_of(result: Any) -> tuple[AgentInfo, ...]:
    return tuple(
        AgentInfo(_text(a.name), _text(a.display_name), _text(a.description), _text(a.source))
        for a in (getattr(result, "agents", None) or [])
    )


async def read_customization(session: ChatSession) -> SessionCustomization:
    """The live session's instructions, skills and agents (nothing when it is not attached)."""
    rpc = session.sdk_rpc
    if rpc is None:
        return SessionCustomization()
    call = session.host.call
    sources = await call(rpc.instructions.get_sources())
    skills = await call(rpc.skills.list())
    agents = await call(rpc.agent.list())
    current = await call(rpc.agent.get_current())
    chosen = getattr(current, "agent", None)
    return SessionCustomization(
        instructions_of(sources),
        skills_of(skills),
        agents_of(agents),
        _text(chosen.name) if chosen is not None else "",
    )


async def select_agent(session: ChatSession, name: str) -> None:
    """Use agent ``name`` for the session's next turns ("": the default agent)."""
    session.agent = name
    rpc = session.sdk_rpc
    if rpc is None:  # not attached yet: it starts with ``agent=``
        return
    if name:
        from copilot.rpc import AgentSelectRequest

        await session.host.call(rpc.agent.select(AgentSelectRequest(name=name)))
    else:
        await session.host.call(rpc.agent.deselect())
