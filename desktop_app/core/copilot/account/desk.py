"""The CLI's accounts, through its experimental ``accounts`` API: who is signed in, on which plan,
switching between accounts and signing out; ``sign_in.SignIn`` adds one through the browser.

The API is session-scoped, so the desk keeps one small utility session (no tools, no MCP servers) per
CLI process and deletes it when done; a window's chat session is never used for it. Every call runs on
the SDK's loop (``host.call``). ``changed`` tells every window that the account changed, so each
re-checks whether it can send: one CLI process serves them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from desktop_app.core.copilot.account.stored_sign_in import forget_stored_sign_in
from desktop_app.core.vocabulary.account import PLAN_NAMES, SIGNED_OUT, Account, AccountState
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.event_hub import EventHub

log = logging.getLogger(__name__)


class AccountHost(Protocol):
    """What the desk needs of ``CopilotService`` (a protocol: the service owns the desk)."""

    generation: int

    @property
    def client(self) -> Any: ...

    async def call(self, coro: Any) -> Any: ...

    @property
    def running(self) -> bool: ...

    async def start(self) -> None: ...

    async def ensure_running(self) -> None: ...

    @property
    def cli_config_file(self) -> str: ...

    async def restart_cli(self, while_stopped: Callable[[], object] = ...) -> None: ...


class SignOutError(Exception):
    """Signing out did not take: the message says why, in the user's words."""


class AccountDesk:
    """Account reads and writes on the shared CLI; ``changed`` publishes each new ``AccountState``."""

    def __init__(self, host: AccountHost) -> None:
        self.host = host
        self._session: Any = None
        self._generation = -1
        self._lock = asyncio.Lock()
        self.state = SIGNED_OUT
        self.changed: EventHub[AccountState] = EventHub("account")
        self.sign_in: object | None = None  # the ``SignIn`` under way: one CLI, one at a time

    async def rpc(self) -> Any:
        """The utility session's ``rpc`` (made on first use, and again after a CLI restart)."""
        from copilot.session import PermissionHandler

        async with self._lock:
            await self.host.ensure_running()
            if not self.host.running:  # still starting (a sign-in asked for at launch): wait for it
                await self.host.start()
            if self._session is None or self._generation != self.host.generation:
                client = self.host.client
                self._session = await self.host.call(
                    client.create_session(
                        available_tools=[], on_permission_request=PermissionHandler.approve_all
                    )
                )  # no tool can run here: it has none
                self._generation = self.host.generation
            return self._session.rpc

    async def refresh(self) -> AccountState:
        """Read who is signed in (and their plan) and publish it when it changed."""
        from copilot.generated import rpc as wire

        try:
            api = await self.rpc()
            listed = await self.host.call(
                api.accounts.enumerate(
                    wire.AccountsEnumerateRequest(
                        query=wire.AuthEnumerateQuery(kind=wire.AuthEnumerateQueryKind.ACCOUNTS)
                    )
                )
            )
            accounts = [
                Account(str(a.login), str(a.host), bool(a.active), str(a.selection_id))
                for a in getattr(listed, "items", [])
            ]
            active = next((a for a in accounts if a.active), None)
            plan = await self._plan(api) if active else ""
        except Exception as exc:
            log.info("Could not read the accounts: %s", describe_error(exc))
            return self.state
        state = AccountState(active, plan, tuple(a for a in accounts if a is not active))
        self._publish(state)
        return state

    async def _plan(self, api: Any) -> str:
        try:
            quota = await self.host.call(api.quota.get())
        except Exception as exc:  # the plan is a nicety: the account itself is known
            log.info("Could not read the plan: %s", describe_error(exc))
            return ""
        tier = getattr(getattr(quota, "plan_tier", None), "value", "")
        return PLAN_NAMES.get(str(tier), "")

    async def switch_to(self, account: Account) -> AccountState:
        await self._write("SWITCH_ACTIVE", account.selection_id)
        return await self.refresh()

    async def sign_out(self, account: Account | None = None) -> AccountState:
        """Sign ``account`` (default: the active one) out; the CLI forgets its stored sign-in.

        Without a keychain, CLI 1.0.102 fails on it ("No default store has been set") and keeps the
        sign-in: ``stored_sign_in`` then removes it from the config file while the CLI is down, and a
        fresh CLI starts signed out. Raises ``SignOutError`` when the account is still there.
        """
        target = account or self.state.account
        if target is None:
            return await self.refresh()
        try:
            await self._write("LOGOUT", target.selection_id)
        except Exception as exc:
            message = describe_error(exc)
            if "keychain" not in message.lower():
                raise SignOutError(f"Could not sign out: {message}") from exc
            log.info("The CLI could not sign out (%s): removing its stored sign-in itself", message)
            config_file = self.host.cli_config_file

            def forget() -> None:
                forget_stored_sign_in(Path(config_file).expanduser(), target.host, target.login)

            await self.host.restart_cli(forget)
        state = await self.refresh()
        if state.account is not None and state.account.selection_id == target.selection_id:
            raise SignOutError(f"Could not sign out {target.label}: the Copilot CLI still has it.")
        return state

    async def _write(self, kind: str, selection_id: str | None) -> None:
        from copilot.generated import rpc as wire

        api = await self.rpc()
        command = wire.AuthWrite(kind=wire.AuthWriteKind[kind], selection_id=selection_id)
        await self.host.call(api.accounts.set(wire.AccountsSetRequest(command=command)))

    def _publish(self, state: AccountState) -> None:
        if state.account != self.state.account:
            self._forget_models()
        if state != self.state:
            self.state = state
            self.changed.publish(state)

    def _forget_models(self) -> None:
        """The SDK keeps the first ``list_models`` answer for the client's life (1.0.25); another
        account may be offered other models, so the next read asks the CLI again."""
        with contextlib.suppress(Exception):
            self.host.client._models_cache = None  # no public way to drop it

    async def close(self) -> None:
        """Delete the utility session (the CLI would otherwise keep it on disk)."""
        session, self._session = self._session, None
        if session is None:
            return
        with contextlib.suppress(Exception):
            client = self.host.client
            await self.host.call(session.disconnect())
            await self.host.call(client.delete_session(str(session.session_id)))
