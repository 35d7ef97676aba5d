"""A window's side of the GitHub account: signing in through the browser, switching, signing out.

The account belongs to the one CLI every window shares (``CopilotService.accounts``); this follows it
through an ``AccountRelay``, so a sign-in finished in one window readies them all. One sign-in runs at
a time across the app: starting one cancels another still waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop_app.core.copilot.account.desk import SignOutError
from desktop_app.core.copilot.account.sign_in import SignIn
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.vocabulary.account import Account, AccountState, SignInState, Stage
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.ui.platform.browser import open_in_browser
from desktop_app.ui.platform.tasks import TaskGroup
from desktop_app.ui.signals.change_relay import AccountRelay

log = logging.getLogger(__name__)


class AccountControl(QObject):
    """Signals:
    state_changed(AccountState): who is signed in (also after another window signed in or out).
    sign_in_changed(SignInState): the stage of this window's sign-in (WAITING carries GitHub's URL).
    browser_failed(str): the browser did not open at this URL (the window shows the link to copy).
    failed(str): switching or signing out did not work, in the user's words.
    """

    state_changed = Signal(AccountState)
    sign_in_changed = Signal(SignInState)
    browser_failed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        service: CopilotService,
        tasks: TaskGroup,
        recheck: Callable[[], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._recheck = recheck
        self._flow: SignIn | None = None
        self._relay = AccountRelay(service.accounts.changed, self)
        self._relay.changed.connect(self._account_changed)

    @property
    def state(self) -> AccountState:
        return self._service.accounts.state

    @property
    def sign_in_state(self) -> SignInState | None:
        return self._flow.state if self._flow is not None else None

    def refresh(self) -> asyncio.Task[None]:
        """Read the account again (``state_changed`` when it differs)."""

        async def run() -> None:
            await self._service.accounts.refresh()

        return self._tasks.spawn(run())

    def sign_in(self) -> asyncio.Task[None]:
        """Start GitHub's sign-in in the browser, and follow it to the end."""
        return self._tasks.spawn(self._sign_in())

    async def _sign_in(self) -> None:
        desk = self._service.accounts
        previous = desk.sign_in
        if isinstance(previous, SignIn) and not previous.state.finished:
            await previous.cancel()
        flow = SignIn(desk, self._service.cli_config_file)
        self._flow = desk.sign_in = flow
        self.sign_in_changed.emit(flow.state)
        state = await flow.start()
        self.sign_in_changed.emit(state)
        if state.stage is Stage.WAITING:
            self.open_page()
            state = await flow.wait()
            if flow is self._flow:
                self.sign_in_changed.emit(state)

    def open_page(self) -> None:
        """Open (again) GitHub's page of the sign-in under way."""
        state = self.sign_in_state
        if state is not None and state.url and not open_in_browser(state.url):
            self.browser_failed.emit(state.url)

    def answer_consent(self, allow: bool) -> asyncio.Task[None]:
        """The user's answer to "keep the sign-in in a file?" (CONSENT)."""

        async def run() -> None:
            flow = self._flow
            if flow is None or flow.state.stage is not Stage.CONSENT:
                return
            self.sign_in_changed.emit(await flow.consent(allow))

        return self._tasks.spawn(run())

    def cancel_sign_in(self) -> asyncio.Task[None]:
        async def run() -> None:
            flow = self._flow
            if flow is None or flow.state.finished:
                return
            self.sign_in_changed.emit(await flow.cancel())

        return self._tasks.spawn(run())

    def switch_to(self, account: Account) -> asyncio.Task[None]:
        async def run() -> None:
            try:
                await self._service.accounts.switch_to(account)
            except Exception as exc:
                self.failed.emit(f"Could not switch to {account.label}: {describe_error(exc)}")

        return self._tasks.spawn(run())

    def sign_out(self, account: Account | None = None) -> asyncio.Task[None]:
        async def run() -> None:
            try:
                await self._service.accounts.sign_out(account)
            except SignOutError as exc:
                self.failed.emit(str(exc))
            except Exception as exc:
                self.failed.emit(f"Could not sign out: {describe_error(exc)}")

        return self._tasks.spawn(run())

    def _account_changed(self, state: AccountState) -> None:
        self.state_changed.emit(state)
        self._recheck()
