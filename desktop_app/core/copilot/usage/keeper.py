"""The freshest premium quota the app knows, shared by every window (one CLI serves them all).

A window asks after each Copilot reply (``refresh(session)``: that session's quota follows the reply's
quota headers) and when it becomes ready (``refresh()``: the quota of the account desk's session, which
the CLI read from GitHub when it made that session; ``account.get_quota`` only when that fails, since
the CLI answers it from a cache it keeps on disk, possibly days old). Reads are throttled: at most
one per ``min_interval``, and a request that comes sooner is served by one read at the end of the
interval. A chat session's reading is kept over the account's for the rest of the CLI's life, since
the account's never moves. ``changed`` publishes each new reading with the level to warn about
(``QuotaWarnings``); an account change forgets the quota and reads it again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from desktop_app.core.copilot.account.desk import AccountDesk
from desktop_app.core.copilot.usage import readings
from desktop_app.core.vocabulary.account import AccountState
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.events import ChatEvent, SessionFailed, SessionLimitReached
from desktop_app.core.vocabulary.usage import wording
from desktop_app.core.vocabulary.usage.quota import PremiumQuota, QuotaNews
from desktop_app.core.vocabulary.usage.warnings import QuotaWarnings

log = logging.getLogger(__name__)

MIN_INTERVAL = 3.0  # seconds between two reads: replies in several windows make one read, not many


def utc_now() -> datetime:
    return datetime.now(UTC)


class UsageHost(Protocol):
    """What the keeper needs of ``CopilotService``."""

    generation: int
    accounts: AccountDesk

    @property
    def client(self) -> Any: ...

    @property
    def running(self) -> bool: ...

    async def call(self, coro: Any) -> Any: ...


class QuotaSource(Protocol):
    """A chat session, as far as the keeper reads it (``ChatSession``)."""

    @property
    def sdk_rpc(self) -> Any: ...  # None until attached to the CLI that runs now


class QuotaKeeper:
    def __init__(
        self,
        host: UsageHost,
        *,
        min_interval: float = MIN_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.host = host
        self.min_interval = min_interval
        self.current: PremiumQuota | None = None
        self.changed: EventHub[QuotaNews] = EventHub("quota")
        self.warnings = QuotaWarnings()
        self.now = now
        self._clock = clock
        self._last_read = -math.inf
        self._waiting = False
        self._wanted: QuotaSource | None = None
        self._session_generation = -1  # the CLI generation whose session reading ``current`` is
        self._account: tuple[str, str] | None = None  # (host, login) the quota is of
        self._plan = ""
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- reading ------------------------------------------------------------------------------
    async def refresh(self, session: QuotaSource | None = None) -> None:
        """Read the quota (from ``session`` when given), now or once the throttle allows."""
        if session is not None:
            self._wanted = session
        if self._waiting:
            return  # the read waiting for the throttle reads for this request too
        wait = self._last_read + self.min_interval - self._clock()
        if wait > 0:
            self._waiting = True
            try:
                await asyncio.sleep(wait)
            finally:
                self._waiting = False
        source, self._wanted = self._wanted, None
        self._last_read = self._clock()
        try:
            await self._read(source)
        except Exception as exc:  # the gauge keeps what it showed
            log.info("Could not read the premium quota: %s", describe_error(exc))

    async def _read(self, source: QuotaSource | None) -> None:
        if not self.host.running:
            return
        rpc = source.sdk_rpc if source is not None else None
        if rpc is not None:
            quota = readings.from_session(await self.host.call(rpc.quota.get()))
            if quota is not None:
                self._session_generation = self.host.generation
                self.keep(quota)
                return
        if self.current is not None and self._session_generation == self.host.generation:
            return  # a chat session's reading is fresher than the account's, which never moves
        try:  # the account desk's session: its quota was read from GitHub when it was made
            desk = await self.host.accounts.rpc()
            quota = readings.from_session(await self.host.call(desk.quota.get()))
        except Exception as exc:
            log.info("Could not read the quota on the accounts session: %s", describe_error(exc))
            quota = None
        if quota is None:  # the server level: read once, and kept on disk by the CLI
            from copilot.generated.rpc import AccountGetQuotaRequest

            client = self.host.client
            result = await self.host.call(client.rpc.account.get_quota(AccountGetQuotaRequest()))
            quota = readings.from_account(result, self.now(), self._plan)
        self.keep(quota)

    async def session_cost(self, session: QuotaSource) -> float | None:
        """Premium requests ``session`` used in all (its CLI metrics), None when not known."""
        rpc = session.sdk_rpc
        if rpc is None or not self.host.running:
            return None
        try:
            return readings.total_cost(await self.host.call(rpc.usage.get_metrics()))
        except Exception as exc:
            log.info("Could not read the session's usage: %s", describe_error(exc))
            return None

    def keep(self, quota: PremiumQuota | None) -> None:
        """A new reading (from the CLI; a test may hand one): kept, published with its warning."""
        previous = self.current
        if quota is not None and previous is not None:
            # A reading without a reset date or plan keeps the ones known for the same allowance.
            if quota.reset is None and previous.entitlement == quota.entitlement:
                quota = dataclasses.replace(quota, reset=previous.reset)
            if not quota.plan:
                quota = dataclasses.replace(quota, plan=previous.plan or self._plan)
        elif quota is not None and not quota.plan and self._plan:
            quota = dataclasses.replace(quota, plan=self._plan)
        if quota == previous:
            return
        self.current = quota
        self.changed.publish(QuotaNews(quota, self.warnings.check(quota)))

    # -- the account ----------------------------------------------------------------------------
    def account_changed(self, state: AccountState) -> None:
        """Subscribed to the account desk: signed out, nothing is known; another account's quota is
        not this one's (read it afresh)."""
        self._plan = state.plan
        account = (state.account.host, state.account.login) if state.account is not None else None
        if account is not None and account == self._account:
            if self.current is not None and state.plan and self.current.plan != state.plan:
                self.keep(dataclasses.replace(self.current, plan=state.plan))
            return
        self._account = account
        self._session_generation = -1
        self.warnings = QuotaWarnings()
        self.keep(None)
        if account is not None:
            self._last_read = -math.inf  # read the new account's at once
            self._spawn(self.refresh())

    # -- a session's events, on the app's loop ---------------------------------------------------
    def explain(self, event: ChatEvent, session: QuotaSource) -> ChatEvent:
        """A quota refusal in words that say when it resets and what to do; a session limit is
        declined at once (the app sets none, and asks nobody to raise one)."""
        if isinstance(event, SessionFailed) and event.quota_refused:
            return dataclasses.replace(
                event, message=wording.refusal(self.current, event.message, self.now())
            )
        if isinstance(event, SessionLimitReached):
            self._spawn(self._decline(session, event.request_id))
        return event

    async def _decline(self, session: QuotaSource, request_id: str) -> None:
        from copilot.generated import rpc as wire

        api = session.sdk_rpc
        if api is None:
            return
        answer = wire.UISessionLimitsExhaustedResponse(wire.UISessionLimitsExhaustedResponseAction.CANCEL)
        request = wire.UIHandlePendingSessionLimitsExhaustedRequest(request_id, answer)
        try:
            await self.host.call(api.ui.handle_pending_session_limits_exhausted(request))
        except Exception as exc:
            log.info("Could not answer the session limit: %s", describe_error(exc))

    def _spawn(self, coro: Any) -> None:
        try:
            task = asyncio.get_running_loop().create_task(coro)
        except RuntimeError:  # no loop (a test feeding events by hand): nothing to ask
            coro.close()
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
