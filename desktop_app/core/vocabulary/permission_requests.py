"""What a tool asks to do and how the user answered, as data every layer can read.

The judging (which rule covers which request) is ``core.permissions``; these are only the shapes the
events, the store and the widgets pass around.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class RequestKind(StrEnum):
    SHELL = "shell"
    WRITE = "write"
    READ = "read"
    URL = "url"
    MCP = "mcp"
    CUSTOM_TOOL = "custom-tool"
    MEMORY = "memory"
    OTHER = "other"


class RuleScope(StrEnum):
    COMMAND = "command"  # shell: every command's real program starts with this (e.g. "git status")
    PATH = "path"  # write/read: the file is this real path or inside this real folder
    DOMAIN = "domain"  # url: this host or a subdomain of it (an IP address: only itself)
    TOOL = "tool"  # custom-tool / mcp: this tool


class Choice(StrEnum):
    ALLOW_ONCE = "allow_once"
    ALLOW_CONVERSATION = "allow_conversation"
    ALLOW_ALWAYS = "allow_always"
    DENY = "deny"
    DENY_WITH_MESSAGE = "deny_with_message"


TITLES = {
    RequestKind.SHELL: "Run a shell command",
    RequestKind.WRITE: "Write a file",
    RequestKind.READ: "Read a file",
    RequestKind.URL: "Fetch a URL",
    RequestKind.MCP: "Use an MCP tool",
    RequestKind.CUSTOM_TOOL: "Use a tool",
    RequestKind.MEMORY: "Remember a fact",
    RequestKind.OTHER: "Use a tool",
}


@dataclass(frozen=True)
class RuleOption:
    """One scope the user can choose to keep an answer for (values: one rule each)."""

    scope: RuleScope
    values: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class PermissionPrompt:
    """A request as the user sees it; ``detail`` is the whole of what will happen."""

    prompt_id: str
    kind: RequestKind
    tool_call_id: str
    title: str
    detail: str
    intention: str = ""
    warning: str = ""
    commands: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    tool_name: str = ""
    has_write_redirection: bool = False
    options: tuple[RuleOption, ...] = ()
    # shell: the CLI's segments make up the whole command line (else no command rule may answer it)
    segments_complete: bool = False

    @property
    def summary(self) -> str:
        """One line for a marker or a notification."""
        first = self.detail.splitlines()[0] if self.detail else ""
        return f"{self.title}: {first}" if first else self.title


@dataclass(frozen=True)
class Answer:
    choice: Choice
    option: RuleOption | None = None  # what ALLOW_CONVERSATION / ALLOW_ALWAYS keep
    message: str = ""  # DENY_WITH_MESSAGE: told to the model

    @property
    def allowed(self) -> bool:
        return self.choice in (Choice.ALLOW_ONCE, Choice.ALLOW_CONVERSATION, Choice.ALLOW_ALWAYS)

    def feedback(self) -> str:
        """What the model is told when it is denied."""
        if self.message.strip():
            return f"The user denied this and said: {self.message.strip()}"
        return "The user denied this request."

    def describe(self) -> str:
        """How it was answered, for the panel and the saved conversation."""
        scope = f" ({self.option.label})" if self.option else ""
        return {
            Choice.ALLOW_ONCE: "Allowed once",
            Choice.ALLOW_CONVERSATION: f"Allowed for this conversation{scope}",
            Choice.ALLOW_ALWAYS: f"Always allowed{scope}",
            Choice.DENY: "Denied",
            Choice.DENY_WITH_MESSAGE: f"Denied: {self.message.strip()}",
        }[self.choice]


@dataclass(frozen=True)
class Rule:
    """A kept answer: allow requests of ``kind`` within ``scope``/``value``."""

    kind: RequestKind
    scope: RuleScope
    value: str
    conversation_id: str | None = None  # None: always, in every conversation
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: float = field(default_factory=time.time)
