"""What a session is opened with: the target the settings choose, its BYOK provider, the mode's tools."""

from __future__ import annotations

from desktop_app.core.config.settings import Settings
from desktop_app.core.copilot.byok.demo_model import DEMO_BASE_URL
from desktop_app.core.copilot.session_options import (
    CHAT_SYSTEM_MESSAGE,
    Compaction,
    chat_target,
    provider_config,
    session_options,
)
from desktop_app.core.tools.app_tools import APP_TOOL_NAMES
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.targets import DEMO_MODEL, ChatTarget, Source

ENDPOINT = Settings(
    source=Source.ENDPOINT,
    endpoint_url="http://127.0.0.1:11434/v1/",
    endpoint_model="llama3",
    endpoint_context_tokens=8192,
    copilot_model="gpt-5",
)


def test_the_target_follows_the_source_the_settings_choose() -> None:
    assert chat_target(ENDPOINT, "sk-1") == ChatTarget(
        Source.ENDPOINT, "llama3", "http://127.0.0.1:11434/v1/", "sk-1", 8192
    )
    assert chat_target(ENDPOINT.with_overrides(source=Source.COPILOT), "sk-1") == ChatTarget(
        Source.COPILOT, "gpt-5"
    )  # the key is the endpoint's: Copilot never gets it
    assert chat_target(ENDPOINT.with_overrides(source=Source.DEMO)) == ChatTarget(Source.DEMO)


def test_the_byok_provider_is_the_endpoints_or_the_demos_and_copilot_has_none() -> None:
    assert provider_config(chat_target(ENDPOINT, "sk-1")) == {
        "type": "openai",
        "base_url": "http://127.0.0.1:11434/v1",  # no trailing slash
        "api_key": "sk-1",
        "max_prompt_tokens": 8192,
    }
    no_key = ChatTarget(Source.ENDPOINT, "m", "http://h/v1")  # no key, the CLI's context window
    assert provider_config(no_key) == {"type": "openai", "base_url": "http://h/v1"}
    assert provider_config(ChatTarget(Source.DEMO)) == {
        "type": "openai",
        "base_url": DEMO_BASE_URL,
        "api_key": "demo",
    }
    assert provider_config(ChatTarget(Source.COPILOT, "gpt-5")) is None


def test_chat_mode_offers_only_the_apps_tools_with_its_own_system_message() -> None:
    tools = [object()]
    options = session_options(ChatTarget(Source.DEMO), ToolAccess(), Compaction(), tools)
    assert options["tools"] is tools and options["streaming"] is True
    assert options["available_tools"] == [*APP_TOOL_NAMES, "ask_user"]
    assert options["system_message"] == {"mode": "replace", "content": CHAT_SYSTEM_MESSAGE}
    assert options["model"] == DEMO_MODEL
    assert options["provider"]["base_url"] == DEMO_BASE_URL
    assert "working_directory" not in options


def test_agent_mode_works_in_its_folder_with_the_clis_own_prompt_and_tools() -> None:
    access = ToolAccess(Mode.AGENT, "/work/project")
    options = session_options(ChatTarget(Source.COPILOT, ""), access, Compaction(), [])
    assert options["working_directory"] == "/work/project"
    assert options["enable_file_change_tracking"] is True  # Restore checkpoint puts files back
    assert "available_tools" not in options and "system_message" not in options
    assert "model" not in options and "provider" not in options  # Copilot's default model


def test_compaction_follows_the_settings() -> None:
    settings = Settings(compaction=True, compaction_start=0.5, compaction_limit=0.9)
    assert Compaction.of(settings).options() == {
        "enabled": True,
        "background_compaction_threshold": 0.5,
        "buffer_exhaustion_threshold": 0.9,
    }
    assert Compaction.of(settings.with_overrides(compaction=False)).options() == {"enabled": False}
    options = session_options(ChatTarget(Source.DEMO), ToolAccess(), Compaction(enabled=False), [])
    assert options["infinite_sessions"] == {"enabled": False}


def test_a_reasoning_effort_goes_to_copilot_models_only() -> None:
    def effort(target: ChatTarget) -> object:
        return session_options(target, ToolAccess(), Compaction(), []).get("reasoning_effort")

    assert effort(ChatTarget(Source.COPILOT, "gpt-5", reasoning_effort="high")) == "high"
    assert effort(ChatTarget(Source.COPILOT, "gpt-5")) is None  # the model's default: nothing asked
    endpoint = ChatTarget(Source.ENDPOINT, "m", "http://h/v1", reasoning_effort="high")
    assert effort(endpoint) is None and effort(ChatTarget(Source.DEMO, reasoning_effort="low")) is None
