"""Custom agents defined as files (``<name>.agent.md``, frontmatter then the prompt), read from the
folders the app names to the CLI, so a conversation can choose one before its session exists.

Once a session runs, its own ``agent.list`` is the authority; this is what it will find.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from desktop_app.core.vocabulary.customization import AgentInfo

SUFFIX = ".agent.md"
MAX_BYTES = 256 * 1024  # an agent file is a prompt: anything larger is not one


def frontmatter(text: str) -> dict[str, str]:
    """The ``key: value`` lines between a leading pair of ``---`` lines (quotes taken off)."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    fields: dict[str, str] = {}
    for line in lines[1:]:
        if line.strip() == "---":
            return fields
        key, colon, value = line.partition(":")
        if colon and key.strip() and not key.startswith((" ", "\t", "-", "#")):
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            fields[key.strip()] = value
    return {}  # never closed: not frontmatter


def agent_from_file(file_name: str, text: str, source: str) -> AgentInfo | None:
    """The agent ``file_name`` defines, or None when the name is not an agent file's."""
    if not file_name.endswith(SUFFIX) or len(file_name) == len(SUFFIX):
        return None
    fields = frontmatter(text)
    name = fields.get("name") or file_name[: -len(SUFFIX)]
    return AgentInfo(name, fields.get("display_name", "") or name, fields.get("description", ""), source)


def agents_in(folders: Iterable[tuple[Path, str]]) -> tuple[AgentInfo, ...]:
    """Every agent file in the folders (each with its source, "project" or "user"), by name; the
    first folder to define a name wins. Unreadable files are skipped."""
    found: dict[str, AgentInfo] = {}
    for folder, source in folders:
        try:
            files = sorted(p for p in folder.iterdir() if p.is_file())
        except OSError:
            continue
        for path in files:
            try:
                if path.stat().st_size > MAX_BYTES:
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            agent = agent_from_file(path.name, text, source)
            if agent is not None and agent.name not in found:
                found[agent.name] = agent
    return tuple(found.values())
