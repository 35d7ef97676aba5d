"""What a Copilot session is opened with: the target the settings choose, the BYOK provider, the
mode's tools and system prompt, and compaction. Pure values and dicts: no SDK call, no Qt.

The CLI keeps none of this between calls, so the same options go with every create and resume.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app.core.config.settings import Settings
from desktop_app.core.copilot.byok.demo_model import DEMO_BASE_URL
from desktop_app.core.vocabulary.access import ToolAccess
from desktop_app.core.vocabulary.targets import ChatTarget, Source

ASK_USER_TOOL = "ask_user"  # the CLI's built-in question tool (the session answers it: ``questions``)

CHAT_SYSTEM_MESSAGE = (
    "You are GitHub Copilot in a desktop chat window. Answer clearly and concisely in GitHub-flavoured "
    "markdown; put code in fenced code blocks with a language tag."
)


@dataclass(frozen=True)
class Compaction:
    """Infinite sessions: older turns are summarised as the context window fills."""

    enabled: bool = True
    start: float = 0.80
    limit: float = 0.95

    @classmethod
    def of(cls, settings: Settings) -> Compaction:
        return cls(settings.compaction, settings.compaction_start, settings.compaction_limit)

    def options(self) -> dict[str, Any]:
        if not self.enabled:
            return {"enabled": False}
        return {
            "enabled": True,
            "background_compaction_threshold": self.start,
            "buffer_exhaustion_threshold": self.limit,
        }


def chat_target(settings: Settings, api_key: str | None = None) -> ChatTarget:
    """Where the settings say answers come from (``api_key``: the endpoint's, already resolved)."""
    if settings.source is Source.ENDPOINT:
        return ChatTarget(
            Source.ENDPOINT,
            settings.endpoint_model,
            settings.endpoint_url,
            api_key,
            settings.endpoint_context_tokens,
        )
    if settings.source is Source.DEMO:
        return ChatTarget(Source.DEMO)
    return ChatTarget(Source.COPILOT, settings.copilot_model)


def provider_config(target: ChatTarget) -> dict[str, Any] | None:
    """The BYOK provider config (None: the signed-in user's Copilot)."""
    if target.source is Source.DEMO:
        return {"type": "openai", "base_url": DEMO_BASE_URL, "api_key": "demo"}
    if target.source is Source.ENDPOINT:
        provider: dict[str, Any] = {"type": "openai", "base_url": target.base_url.rstrip("/")}
        if target.api_key:
            provider["api_key"] = target.api_key
        if target.context_tokens:
            provider["max_prompt_tokens"] = target.context_tokens
        return provider
    return None


def session_options(
    target: ChatTarget, access: ToolAccess, compaction: Compaction, tools: list[Any]
) -> dict[str, Any]:
    """The SDK's ``create_session``/``resume_session`` keywords, but for the event handlers and MCP."""
    options: dict[str, Any] = {
        "streaming": True,
        "tools": tools,
        "infinite_sessions": compaction.options(),
    }
    if access.mode.agentic:
        # The CLI's own agent prompt and all its built-in tools, working in the chosen folder.
        options["working_directory"] = access.working_directory
        # Each turn's file changes are captured, so Restore checkpoint can put the files back.
        options["enable_file_change_tracking"] = True
    else:
        from desktop_app.core.tools.app_tools import APP_TOOL_NAMES  # ~10 ms: not at start-up

        # Chat mode offers ``ask_user`` too: it touches nothing, it only asks the user a question.
        options["available_tools"] = [*APP_TOOL_NAMES, ASK_USER_TOOL]
        options["system_message"] = {"mode": "replace", "content": CHAT_SYSTEM_MESSAGE}
    if target.model_name:
        options["model"] = target.model_name
    if target.source is Source.COPILOT and target.reasoning_effort:
        options["reasoning_effort"] = target.reasoning_effort
    provider = provider_config(target)
    if provider is not None:
        options["provider"] = provider
    return options
