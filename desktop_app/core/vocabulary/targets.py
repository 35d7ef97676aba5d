"""Where a conversation's answers come from, as plain values every layer shares. No Qt, no SDK.

The settings choose a ``Source``; the controller turns them into a ``ChatTarget`` for each session;
the store records its ``provider_key`` and the window shows its ``label``. Building the SDK's
options from a target is the Copilot boundary's job (``core.copilot.session_options``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

DEMO_MODEL = "scripted-demo"  # the model name the scripted demo answers as


class Source(StrEnum):
    """Where replies come from."""

    COPILOT = "copilot"  # the CLI's signed-in GitHub user
    ENDPOINT = "endpoint"  # any OpenAI-compatible endpoint (BYOK)
    DEMO = "demo"  # the built-in scripted model, for trying the app with no account


@dataclass(frozen=True)
class ChatTarget:
    """Where one session's answers come from."""

    source: Source
    model: str = ""
    base_url: str = ""
    api_key: str | None = field(default=None, repr=False)
    context_tokens: int = 0  # the endpoint model's context window (0: the CLI's default)
    reasoning_effort: str = ""  # a Copilot model's level, one it takes ("": none asked for)

    @property
    def model_name(self) -> str:
        return DEMO_MODEL if self.source is Source.DEMO else self.model

    @property
    def label(self) -> str:
        """Where answers come from, in the words of the window's badge and status bar."""
        if self.source is Source.DEMO:
            return "Scripted demo model (not Copilot)"
        if self.source is Source.ENDPOINT:
            return f"Endpoint {self.base_url or '(not set)'}"
        return "GitHub Copilot"

    @property
    def author(self) -> str:
        """Who a reply is from, above it in the conversation."""
        return author_label(self.provider_key, self.model)

    @property
    def provider_key(self) -> str:
        """What a conversation records as its provider (an endpoint is told apart by its URL)."""
        if self.source is Source.ENDPOINT:
            return f"endpoint:{self.base_url}"
        return self.source.value


def author_label(provider: str, model: str = "") -> str:
    """Who a reply came from, by the conversation's provider key and the reply's model: Copilot, the
    endpoint's model by name, or the demo (never "Copilot" for what Copilot did not write)."""
    if provider == Source.DEMO.value:
        return "Demo model"
    if provider.startswith(Source.ENDPOINT.value):
        return model or "Endpoint model"
    return "Copilot"
