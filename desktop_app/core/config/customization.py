"""What the user customised for Copilot: their own instructions, the skills switched off, the extra
folders Agent mode may use, and the custom agent each conversation chose. Kept in
``customization.json`` beside the settings (its lists and per-conversation map do not fit the flat
``Settings``; a file of its own also needs no schema migration for the per-conversation agent).

What the pinned CLI (1.0.102) does with each session option, as probed in Agent mode:

- ``instructions.get_sources`` lists ``<copilot home>/copilot-instructions.md`` (id ``home-copilot``)
  and the folder's ``.github/copilot-instructions.md`` (``repo-copilot``) without any option; an
  ``instruction_directories`` root adds its ``*.instructions.md`` files (``applyTo: "**"``: always
  in the system prompt). ``skip_custom_instructions`` keeps them listed but out of the prompt.
- Custom agents in ``.github/agents/*.agent.md`` and ``<copilot home>/agents`` are found only with
  ``enable_config_discovery`` (which discovers much else, MCP servers included) or when named in
  ``agent_directories``; ``custom_agents=[...]`` always works. ``agent=`` starts the session with
  one; ``agent.select`` switches a live session (an unknown name: "Custom agent 'x' not found"),
  ``agent.deselect`` goes back to the default. The chosen agent's prompt is in the system message.
- Skills: ``.github/skills/<name>/SKILL.md`` likewise need discovery or ``skill_directories``;
  ``skills.list`` also gives the CLI's built-in ones; ``disabled_skills`` lists them ``enabled: false``.
- ``additional_directories``: the folders are named in the system prompt as ones the agent may use.

So the app names the folders itself (``agent_directories``, ``skill_directories``) rather than
turning on discovery, and writes the user's instructions as one ``*.instructions.md`` file in its
own instruction directory: the CLI lists it among the sources, with its path, like any other.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

CUSTOMIZATION_FILE = "customization.json"
INSTRUCTIONS_DIR = "instructions"  # under the config dir: the app's own instruction directory
INSTRUCTIONS_FILE = "copilot-desktop.instructions.md"
AGENT_FOLDERS = (".github/agents",)  # under the working folder
SKILL_FOLDERS = (".github/skills",)


@dataclass(frozen=True)
class Customization:
    user_instructions: str = ""
    disabled_skills: tuple[str, ...] = ()
    additional_directories: tuple[str, ...] = ()
    agents: dict[str, str] = field(default_factory=dict)  # conversation id -> custom agent name

    def to_json(self) -> dict[str, Any]:
        return {
            "user_instructions": self.user_instructions,
            "disabled_skills": list(self.disabled_skills),
            "additional_directories": list(self.additional_directories),
            "agents": dict(self.agents),
        }

    @classmethod
    def from_json(cls, data: Any) -> Customization:
        """Raises ValueError naming what a hand-edited file got wrong."""
        if not isinstance(data, dict):
            raise ValueError("the customization file does not hold a JSON object")
        text = data.get("user_instructions", "")
        if not isinstance(text, str):
            raise ValueError("user_instructions must be a string")
        agents = data.get("agents", {})
        if not isinstance(agents, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in agents.items()
        ):
            raise ValueError("agents must map conversation ids to agent names")
        return cls(
            text,
            _names(data, "disabled_skills"),
            _names(data, "additional_directories"),
            {k: v for k, v in agents.items() if k and v},
        )

    def agent_for(self, conversation_id: str | None) -> str:
        return self.agents.get(conversation_id or "", "")

    def with_agent(self, conversation_id: str, name: str) -> Customization:
        """``name`` chosen for the conversation ("": the default agent)."""
        agents = {k: v for k, v in self.agents.items() if k != conversation_id}
        if name:
            agents[conversation_id] = name
        return replace(self, agents=agents)


def _names(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of strings")
    return tuple(dict.fromkeys(v for v in value if v.strip()))  # in order, once each


def load_customization(config_dir: Path) -> tuple[Customization, str | None]:
    """The saved customization; a broken file gives the defaults and says why (and is kept)."""
    path = config_dir / CUSTOMIZATION_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Customization(), None
    except OSError as exc:
        return Customization(), f"Could not read {path}: {exc.strerror}."
    try:
        return Customization.from_json(json.loads(raw.decode("utf-8"))), None
    except ValueError as exc:
        aside = path.with_suffix(".broken.json")
        try:
            path.replace(aside)
        except OSError:
            aside = path
        return Customization(), f"The customization file was unreadable ({exc}); kept it as {aside}."


def save_customization(config_dir: Path, customization: Customization) -> None:
    """Write atomically, and the instructions file the CLI reads (gone when there is no text)."""
    config_dir.mkdir(parents=True, exist_ok=True)
    _atomic_write(config_dir / CUSTOMIZATION_FILE, json.dumps(customization.to_json(), indent=2) + "\n")
    write_instructions(config_dir, customization.user_instructions)


def instructions_file(config_dir: Path) -> Path:
    return config_dir / INSTRUCTIONS_DIR / INSTRUCTIONS_FILE


def write_instructions(config_dir: Path, text: str) -> None:
    path = instructions_file(config_dir)
    if not text.strip():
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # ``applyTo: "**"``: the CLI puts it in every prompt, not only when matching files are involved.
    _atomic_write(path, f'---\napplyTo: "**"\n---\n{text.strip()}\n')


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def agent_folders(working_directory: str, user_home: Path) -> list[tuple[Path, str]]:
    """Where the CLI is told to look for agent files, each with its source, the folder's first."""
    work = Path(working_directory)
    return [(work / f, "project") for f in AGENT_FOLDERS] + [(user_home / "agents", "user")]


def session_keywords(
    customization: Customization, config_dir: Path, working_directory: str, user_home: Path
) -> dict[str, Any]:
    """The Agent-mode ``create_session``/``resume_session`` keywords for the customization.

    ``user_home``: the CLI's own folder (``~/.copilot``, or the confined copilot home), whose
    ``agents`` and ``skills`` the terminal CLI reads too.
    """
    work = Path(working_directory)
    options: dict[str, Any] = {
        "agent_directories": [str(f) for f, _ in agent_folders(working_directory, user_home)],
        "skill_directories": [str(work / f) for f in SKILL_FOLDERS] + [str(user_home / "skills")],
    }
    if customization.user_instructions.strip():
        options["instruction_directories"] = [str(config_dir / INSTRUCTIONS_DIR)]
    if customization.disabled_skills:
        options["disabled_skills"] = list(customization.disabled_skills)
    if customization.additional_directories:
        options["additional_directories"] = list(customization.additional_directories)
    return options
