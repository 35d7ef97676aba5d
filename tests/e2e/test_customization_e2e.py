"""Customization end to end: custom agents defined in the working folder are listed in the window's
chip, the one chosen there is the one the session uses (its prompt reaches the model), it is kept
for the conversation, and the user's own instructions reach the model too. Real CLI, scripted model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.config.customization import CUSTOMIZATION_FILE, Customization, instructions_file
from desktop_app.core.config.paths import AppPaths
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.e2e.test_chat_e2e import ask
from tests.e2e.test_tools_e2e import agent_window
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio


@pytest.fixture
def data_dir(shared_data_dir: Path) -> Iterator[Path]:
    """The shared data dir, with no customization before or after (other tests expect none)."""
    config = AppPaths.under(shared_data_dir).config_dir

    def forget() -> None:
        (config / CUSTOMIZATION_FILE).unlink(missing_ok=True)
        instructions_file(config).unlink(missing_ok=True)

    forget()
    yield shared_data_dir
    forget()


REVIEWER = "You are REVIEWER-PROMPT-7731: review the code you are shown."
PIRATE = "You are PIRATE-PROMPT-4410: answer like a pirate."


def agent_folder(root: Path) -> Path:
    folder = root / "project"
    agents = folder / ".github" / "agents"
    agents.mkdir(parents=True)
    (agents / "code-review.agent.md").write_text(
        f"---\nname: reviewer\ndescription: Reviews code\n---\n{REVIEWER}\n", encoding="utf-8"
    )
    (agents / "pirate.agent.md").write_text(f"---\ndescription: Talks like a pirate\n---\n{PIRATE}\n")
    return folder


def system_prompt(server: ModelServer) -> str:
    messages = server.chat_requests()[-1]["body"]["messages"]
    return json.dumps([m for m in messages if m["role"] == "system"])


async def chip_offers(window: ChatWindow, names: set[str]) -> None:
    window.agent_chip.follow()
    await wait_until(lambda: {a.name for a in window.agent_chip.found.agents} >= names, timeout=30)


async def test_the_custom_agent_chosen_in_the_window_is_the_one_the_session_uses(
    qtbot: QtBot, model_server: ModelServer, data_dir: Path, tmp_path: Path
) -> None:
    folder = agent_folder(tmp_path)
    async with agent_window(qtbot, model_server, data_dir, folder) as window:
        chip = window.agent_chip
        assert chip.isVisibleTo(window)
        await chip_offers(window, {"reviewer", "pirate"})  # from the files: no session yet
        chip._fill_menu()
        assert [a.text() for a in chip.menu_.actions()] == ["Default agent", "pirate", "reviewer"]

        await chip.choose("reviewer")  # before the first prompt: the session starts with it
        await ask(qtbot, window, "hello reviewer")
        assert REVIEWER in system_prompt(model_server)
        assert PIRATE not in system_prompt(model_server)
        await wait_until(lambda: chip.text().startswith("Agent: reviewer"), timeout=30)
        conversation = window.controller.conversation
        assert conversation is not None
        assert window.controller.customizing.saved.agent_for(conversation.id) == "reviewer"

        await chip.choose("pirate")  # the live session switches
        assert chip.agent == "pirate"  # as the CLI says (agent.get_current)
        await ask(qtbot, window, "hello pirate")
        assert PIRATE in system_prompt(model_server)
        assert REVIEWER not in system_prompt(model_server)

        await window.controller.new_conversation()  # leave it, and come back: it resumes with it
        await window.controller.open_conversation(conversation.id)
        await wait_until(lambda: window.controller.session is not None, timeout=30)
        assert window.controller.session is not None
        assert window.controller.session.agent == "pirate"
        await ask(qtbot, window, "still a pirate?")
        assert PIRATE in system_prompt(model_server)

        await chip.choose("")  # back to the default agent
        await ask(qtbot, window, "and now?")
        assert PIRATE not in system_prompt(model_server)
        assert window.controller.customizing.saved.agent_for(conversation.id) == ""

        await chip.choose("pirate")  # then its file goes: the conversation resumes with the default
        (folder / ".github" / "agents" / "pirate.agent.md").unlink()
        await window.controller.new_conversation()
        await window.controller.open_conversation(conversation.id)
        await wait_until(lambda: window.controller.session is not None, timeout=30)
        assert not window.controller.read_only
        await ask(qtbot, window, "who am I talking to?")
        assert PIRATE not in system_prompt(model_server)
        assert window.controller.session is not None
        assert window.controller.session.agent == ""


async def test_own_instructions_skills_and_folders_reach_the_session(
    qtbot: QtBot, model_server: ModelServer, data_dir: Path, tmp_path: Path
) -> None:
    folder = agent_folder(tmp_path)
    skill = folder / ".github" / "skills" / "greet"
    skill.mkdir(parents=True)
    (skill / "SKILL.md").write_text("---\nname: greet\ndescription: Greets people\n---\nSay hello.\n")
    extra = tmp_path / "extra-folder"
    extra.mkdir()
    async with agent_window(qtbot, model_server, data_dir, folder) as window:
        await ask(qtbot, window, "first")
        customizing = window.controller.customizing
        found = await customizing.read()
        assert "greet" in {s.name for s in found.skills if s.enabled}
        own = Customization(
            user_instructions="Always end with OWN-INSTRUCTION-5521.",
            disabled_skills=("greet",),
            additional_directories=(str(extra),),
        )
        customizing.save(own)
        await customizing.reload()
        found = await customizing.read()
        assert "greet" in {s.name for s in found.skills if not s.enabled}
        assert any(s.path.endswith("copilot-desktop.instructions.md") for s in found.instructions)
        await ask(qtbot, window, "second")
        prompt = system_prompt(model_server)
        assert "OWN-INSTRUCTION-5521" in prompt
        assert str(extra) in prompt
