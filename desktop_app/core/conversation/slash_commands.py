"""Slash commands a chat window understands: which of the CLI's make sense here, what the user typed,
which names complete a prefix, and the words when a command is unknown. No Qt, no SDK.

What the pinned CLI (1.0.102) offers, probed through ``session.rpc.commands.list()`` (the SDK's
``session.commands.list``): 33 built-ins for its terminal UI (``add-dir``, ``allow-all``, ``compact``,
``context``, ``model``, ``plan``, ``session``, ``usage``, ``share``, ``mcp``, …), each with a
description, aliases and an input hint (``input.required`` for the few that need an argument);
``client.rpc.commands.list()`` (no session) lists 28 and lacks ``compact``, ``context``, ``usage``
and ``session``. ``session.commands.invoke`` answers ``{"kind": "text", "text": …}`` for ``usage``,
``context`` (a dotted chart), ``session`` (its details) and ``compact`` ("Compacted conversation
history and removed N messages…", after a summarising model call); ``model`` without input and
``plan`` (which switches the session into plan mode) answer ``completed``; an unlisted name (``clear``,
``help``) fails with "Unknown slash command: /name". ``session.history.compact`` compacts as well
(a structured result, its summary included; "Nothing to compact." right after the command), so the
command, whose answer is already worded, is what runs.

Of those, the window offers the ones whose answer is a text it can show, plus its own: ``/clear``
starts a new conversation (the CLI has none), ``/model`` opens the window's model picker (the CLI's
would change a model the window does not show) and ``/plan [request]`` chooses Plan mode for the
conversation, then sends the request (the CLI's would switch the session behind the window's back).
The rest steer the terminal UI (dialogs, modes, directories, permissions the window asks itself) and
are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Runner(StrEnum):
    """Who runs a command: the window itself, or the CLI (``commands.invoke``)."""

    APP = "app"
    CLI = "cli"


@dataclass(frozen=True)
class SlashCommand:
    name: str  # without the slash
    description: str
    runner: Runner
    hint: str = ""  # what may follow the name, shown after it
    during_reply: bool = True  # may run while a reply streams


# What the window offers, in the order the list shows them. The CLI's descriptions replace these when
# its list arrives (``from_cli``); these say it until then, and for the window's own commands.
WINDOW_COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand("clear", "Start a new conversation (this one stays in the list)", Runner.APP),
    SlashCommand(
        "compact",
        "Summarize conversation history to reduce context window usage",
        Runner.CLI,
        "focus instructions",
        during_reply=False,
    ),
    SlashCommand("context", "Show context window token usage", Runner.CLI),
    SlashCommand("model", "Choose the model for this conversation", Runner.APP),
    SlashCommand(
        "plan", "Plan first: Copilot writes a plan and builds once you approve it", Runner.APP, "request"
    ),
    SlashCommand("session", "Show this conversation's Copilot session", Runner.CLI),
    SlashCommand("usage", "Display session usage metrics and statistics", Runner.CLI),
)
ALIASES = {"new": "clear", "models": "model", "sessions": "session"}


@dataclass(frozen=True)
class ListedCommand:
    """One entry of the CLI's ``commands.list`` as far as the window uses it."""

    name: str
    description: str
    during_reply: bool = True


def from_cli(listed: Iterable[ListedCommand]) -> tuple[SlashCommand, ...]:
    """The window's commands with the CLI's own descriptions; a CLI command it does not list is left
    out (another CLI version), the window's own stay."""
    by_name = {entry.name.lower(): entry for entry in listed}
    catalogue = []
    for command in WINDOW_COMMANDS:
        if command.runner is Runner.APP:
            catalogue.append(command)
            continue
        entry = by_name.get(command.name)
        if entry is not None:
            description = first_sentence(entry.description) or command.description
            catalogue.append(
                SlashCommand(command.name, description, Runner.CLI, command.hint, entry.during_reply)
            )
    return tuple(catalogue)


def first_sentence(text: str) -> str:
    """The CLI's description up to its first full stop (the rest speaks of its terminal UI)."""
    text = " ".join(text.split())
    head, dot, _ = text.partition(". ")
    return head.rstrip(".") if dot else text.rstrip(".")


_TYPED = re.compile(r"/([A-Za-z][A-Za-z0-9_-]*)(?:\s+(.*))?", re.DOTALL)


@dataclass(frozen=True)
class Typed:
    """``/name args`` as typed: ``name`` in lower case, ``args`` stripped."""

    name: str
    args: str = ""


def parse(text: str) -> Typed | None:
    """The command in ``text``, or None when it is a prompt: it must start with ``/`` and a word (so
    ``/usr/bin is a path`` or ``// note`` go to the model as they are)."""
    stripped = text.strip()
    found = _TYPED.fullmatch(stripped)
    if found is None:
        return None
    return Typed(found.group(1).lower(), (found.group(2) or "").strip())


def find(catalogue: Iterable[SlashCommand], name: str) -> SlashCommand | None:
    """The command called ``name`` (or by an alias), any case."""
    wanted = name.lower().lstrip("/")
    wanted = ALIASES.get(wanted, wanted)
    return next((c for c in catalogue if c.name == wanted), None)


def completing(text: str) -> str | None:
    """The prefix being typed when ``text`` is a command name still being written (``/co``), else None
    (plain text, or a name already followed by a space)."""
    if not text.startswith("/") or any(ch.isspace() for ch in text):
        return None
    prefix = text[1:]
    return prefix if re.fullmatch(r"[A-Za-z0-9_-]*", prefix) else None


def matching(catalogue: Iterable[SlashCommand], prefix: str) -> list[SlashCommand]:
    """The commands whose name starts with ``prefix`` (any case), then those that contain it."""
    wanted = prefix.lower()
    commands = list(catalogue)
    starts = [c for c in commands if c.name.startswith(wanted)]
    inside = [c for c in commands if wanted in c.name and c not in starts]
    return starts + inside


def unknown(name: str) -> str:
    return f"Unknown command /{name}. Type / to see the commands this window knows."


def busy(name: str) -> str:
    return f"/{name} waits for the reply to finish: run it again then."


def no_session(name: str) -> str:
    return f"/{name} needs a conversation with Copilot: send a message first."


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")


_CHART = re.compile(r"^[○◌●◉◎·](?: [○◌●◉◎·])*\s{3,}")  # /context's dotted grid, left of its legend


def _without_chart(line: str) -> str:
    """A line of ``/context`` without its grid, the legend's padding closed up: the grid is drawn
    for a terminal's fixed-width font, the conversation's is proportional."""
    legend, grid = _CHART.subn("", line)
    return " ".join(legend.split()) if grid else line


def shown_output(name: str, text: str) -> str:
    """The CLI's answer to a command as plain text (its terminal colour codes and charts taken out)."""
    cleaned = _ANSI.sub("", text).replace("\r\n", "\n").strip()
    cleaned = "\n".join(_without_chart(line) for line in cleaned.split("\n"))
    return cleaned or f"/{name} is done."


def failed(name: str, message: str) -> str:
    return f"/{name} did not run: {message}"
