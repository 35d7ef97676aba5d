"""The CLI's slash commands for one session, through the SDK: its list and running one. No Qt.

See ``core.conversation.slash_commands`` for what the pinned CLI lists and answers; this is only the
boundary, so the window never imports the SDK.
"""

from __future__ import annotations

from typing import Any, Protocol

from desktop_app.core.conversation.slash_commands import ListedCommand, shown_output
from desktop_app.core.vocabulary.copilot_errors import describe_error

RPC_PREFIX = "failed with message: "  # the SDK's JsonRpcError: "… Request X failed with message: why"


class CommandSession(Protocol):
    """What this needs of a ``ChatSession``."""

    @property
    def sdk_rpc(self) -> Any: ...

    @property
    def host(self) -> Any: ...


class CommandFailedError(RuntimeError):
    """The CLI refused or failed the command; the message is meant for the user."""


async def listed_commands(session: CommandSession) -> list[ListedCommand] | None:
    """The session's commands as the CLI lists them; None while it is not attached."""
    rpc = session.sdk_rpc
    if rpc is None:
        return None
    result = await session.host.call(rpc.commands.list())
    return [
        ListedCommand(c.name, c.description, bool(c.allow_during_agent_execution)) for c in result.commands
    ]


async def invoke(session: CommandSession, name: str, args: str = "") -> str:
    """Run ``/name args`` in the session; the CLI's answer as the window shows it."""
    from copilot.generated.rpc import CommandsInvokeRequest, SlashCommandTextResult

    rpc = session.sdk_rpc
    if rpc is None:
        raise CommandFailedError("the conversation is not connected to Copilot")
    try:
        result = await session.host.call(rpc.commands.invoke(CommandsInvokeRequest(name, args or None)))
    except Exception as exc:
        message = describe_error(exc)
        raise CommandFailedError(message.partition(RPC_PREFIX)[2] or message) from exc
    text = result.text if isinstance(result, SlashCommandTextResult) else ""
    return shown_output(name, text)
