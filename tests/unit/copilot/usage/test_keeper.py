"""The quota keeper: one freshest reading for every window, its warnings, its throttle, and the words
of a refusal. The host is a real ``CopilotService`` that is not running: nothing here talks to a CLI
(the readings themselves are in test_readings; the whole path runs in tests/e2e)."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop_app.core.config.paths import AppPaths
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.copilot.usage import readings
from desktop_app.core.copilot.usage.keeper import QuotaKeeper, QuotaSource
from desktop_app.core.vocabulary.account import Account, AccountState
from desktop_app.core.vocabulary.events import Idle, SessionFailed, SessionLimitReached
from desktop_app.core.vocabulary.usage.quota import PremiumQuota, QuotaLevel, QuotaNews
from tests.unit.copilot.usage.sdk_data import session_quota, snapshot

NOW = datetime(2026, 11, 20, tzinfo=UTC)
DEC_1 = datetime(2026, 12, 1, tzinfo=UTC)
OCTOCAT = AccountState(Account("octocat", "https://github.com", True, "sel-1"), "Pro")


class NoSession:
    sdk_rpc = None


@pytest.fixture
def keeper(tmp_path: Path) -> QuotaKeeper:
    return CopilotService(AppPaths.under(tmp_path)).usage


def heard(keeper: QuotaKeeper) -> list[QuotaNews]:
    news: list[QuotaNews] = []
    keeper.changed.subscribe(news.append)
    return news


def test_the_service_has_one_keeper_that_follows_the_account(tmp_path: Path) -> None:
    service = CopilotService(AppPaths.under(tmp_path))
    service.usage.keep(PremiumQuota.of(300, 10))
    service.accounts.changed.publish(AccountState())  # signed out
    assert service.usage.current is None


def test_a_new_reading_is_published_once_with_its_warning(keeper: QuotaKeeper) -> None:
    news = heard(keeper)
    keeper.keep(PremiumQuota.of(300, 100))
    keeper.keep(PremiumQuota.of(300, 100))  # the same: nothing to tell
    keeper.keep(PremiumQuota.of(300, 250))
    assert [(n.quota.used if n.quota else None, n.warn) for n in news] == [
        (100, None),
        (250, QuotaLevel.LOW),
    ]


def test_a_reading_without_a_date_or_plan_keeps_the_known_ones(keeper: QuotaKeeper) -> None:
    keeper.keep(PremiumQuota.of(300, 100, reset=DEC_1, plan="Pro"))
    keeper.keep(PremiumQuota.of(300, 101))
    assert keeper.current is not None and (keeper.current.reset, keeper.current.plan) == (DEC_1, "Pro")
    keeper.keep(PremiumQuota.of(1500, 0))  # another allowance: its own period
    assert keeper.current.reset is None and keeper.current.plan == "Pro"


def test_another_account_forgets_the_quota_and_its_warnings(keeper: QuotaKeeper) -> None:
    keeper.account_changed(OCTOCAT)
    keeper.keep(PremiumQuota.of(300, 250))
    news = heard(keeper)
    keeper.account_changed(dataclasses.replace(OCTOCAT, account=Account("hubot", "", True, "sel-2")))
    assert keeper.current is None and news == [QuotaNews(None)]
    keeper.keep(PremiumQuota.of(300, 250))
    assert news[-1].warn is QuotaLevel.LOW  # told again: it is another account's
    assert keeper.current is not None and keeper.current.plan == "Pro"


def test_the_same_account_with_its_plan_learnt_keeps_the_quota(keeper: QuotaKeeper) -> None:
    keeper.account_changed(dataclasses.replace(OCTOCAT, plan=""))
    keeper.keep(PremiumQuota.of(300, 10))
    keeper.account_changed(OCTOCAT)
    assert keeper.current is not None and keeper.current.plan == "Pro"


def test_a_quota_refusal_is_worded_with_the_reset_date(keeper: QuotaKeeper) -> None:
    keeper.now = lambda: NOW
    keeper.keep(readings.from_session(session_quota(premium_interactions=snapshot(300, 300))))
    keeper.keep(PremiumQuota.of(300, 300, reset=DEC_1))
    said = "You have exceeded your premium request allowance."
    worded = keeper.explain(SessionFailed(said, "quota", 402, "quota_exceeded"), NoSession())
    assert isinstance(worded, SessionFailed) and worded.quota_refused
    assert worded.message.startswith(
        f"Your premium requests for this period are used up (GitHub said: {said})."
    )
    assert "They reset on Dec 1." in worded.message and "included model (0×)" in worded.message


def test_other_events_pass_unchanged(keeper: QuotaKeeper) -> None:
    failure = SessionFailed("Model not found", "model", 404)
    assert keeper.explain(failure, NoSession()) is failure
    assert keeper.explain(Idle(False), NoSession()) == Idle(False)


def test_a_session_limit_with_no_session_to_answer_passes(keeper: QuotaKeeper) -> None:
    event = SessionLimitReached("r-1", 50, 50, "limit")
    assert keeper.explain(event, NoSession()) is event


@pytest.mark.asyncio
async def test_nothing_is_read_while_the_cli_is_down(keeper: QuotaKeeper) -> None:
    await keeper.refresh()
    assert keeper.current is None
    assert await keeper.session_cost(NoSession()) is None


class CountingKeeper(QuotaKeeper):
    """Counts the reads the throttle lets through (what a read does is the CLI's, tested in e2e)."""

    reads: list[QuotaSource | None]

    async def _read(self, source: QuotaSource | None) -> None:
        self.reads.append(source)


@pytest.mark.asyncio
async def test_requests_close_together_make_one_read_after_the_first(tmp_path: Path) -> None:
    keeper = CountingKeeper(CopilotService(AppPaths.under(tmp_path)), min_interval=0.05)
    keeper.reads = []
    session = NoSession()
    await keeper.refresh()
    await asyncio.gather(keeper.refresh(), keeper.refresh(session), keeper.refresh())
    assert keeper.reads == [None, session]  # the waiting read reads for all three, from the session
