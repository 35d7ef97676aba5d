"""The SDK's quota, metrics and events, built with its own ``from_dict``, read into the app's values."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop_app.core.copilot.event_mapping import from_sdk
from desktop_app.core.copilot.usage import readings
from desktop_app.core.vocabulary.events import SessionFailed, SessionLimitReached, Usage
from desktop_app.core.vocabulary.usage.quota import PremiumQuota
from tests.unit.copilot.usage.sdk_data import account_quota, event, metrics, session_quota, snapshot

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def test_the_account_quota() -> None:
    result = account_quota(premium_interactions=snapshot(resetDate="2026-12-31T00:00:00Z"), chat=snapshot())
    quota = readings.from_account(result, NOW, "Pro")
    assert quota == PremiumQuota.of(
        300, 258, reset=datetime(2026, 12, 31, tzinfo=UTC), plan="Pro", remaining_percent=14.0
    )


def test_an_account_reset_date_in_the_past_is_the_snapshots_time_and_dropped() -> None:
    # CLI 1.0.102 puts the snapshot's ``timestamp_utc`` in ``resetDate``.
    result = account_quota(premium_interactions=snapshot(resetDate="2026-12-02T09:59:00Z"))
    quota = readings.from_account(result, NOW)
    assert quota is not None and quota.reset is None


def test_missing_fields_and_snapshots() -> None:
    assert readings.from_account(account_quota(chat=snapshot()), NOW) is None
    assert readings.from_account(account_quota(), NOW) is None
    assert readings.from_session(session_quota()) is None
    no_date = readings.from_account(account_quota(premium_interactions=snapshot()), NOW)
    assert no_date is not None and no_date.reset is None and no_date.plan == ""
    odd = readings.from_account(account_quota(premium_interactions=snapshot(resetDate="soon")), NOW)
    assert odd is not None and odd.reset is None


def test_unlimited_is_minus_one() -> None:
    result = account_quota(premium_interactions=snapshot(-1, 0, isUnlimitedEntitlement=True))
    quota = readings.from_account(result, NOW)
    assert quota is not None and quota.unlimited


def test_the_session_quota_has_the_plan_and_the_reset() -> None:
    result = session_quota("pro_plus", premium_interactions=snapshot(1500, 3, resetDateEpochMs=1798675200000))
    quota = readings.from_session(result)
    assert quota is not None
    assert (quota.entitlement, quota.used, quota.plan) == (1500, 3, "Pro+")
    assert quota.reset == datetime(2026, 12, 31, tzinfo=UTC)


def test_an_unknown_plan_tier_has_no_name() -> None:
    quota = readings.from_session(session_quota("unknown", premium_interactions=snapshot()))
    assert quota is not None and quota.plan == ""


def test_the_sessions_total_cost() -> None:
    assert readings.total_cost(metrics(2.0)) == 2.0
    assert readings.total_cost(metrics(0)) == 0.0
    assert readings.total_cost(object()) is None


def test_a_calls_cost_comes_with_its_usage() -> None:
    usage = from_sdk(event("assistant.usage", model="sonnet", inputTokens=10, outputTokens=3, cost=1.0))
    assert isinstance(usage, Usage) and usage.cost == 1.0
    included = from_sdk(event("assistant.usage", model="gpt-5-mini", cost=0))
    assert isinstance(included, Usage) and included.cost == 0.0
    unknown = from_sdk(event("assistant.usage", model="gpt-5-mini"))
    assert isinstance(unknown, Usage) and unknown.cost is None


def test_a_quota_refusal_is_told_apart() -> None:
    refused = from_sdk(
        event(
            "session.error",
            errorType="quota",
            message="You have exceeded your premium request allowance.",
            errorCode="quota_exceeded",
            statusCode=402,
        )
    )
    assert isinstance(refused, SessionFailed) and refused.quota_refused
    assert refused.error_code == "quota_exceeded"
    other = from_sdk(event("session.error", errorType="rate_limit", message="slow down", statusCode=429))
    assert isinstance(other, SessionFailed) and not other.quota_refused


def test_a_session_limit_is_said_in_words() -> None:
    limit = from_sdk(
        event("session_limits_exhausted.requested", maxAiCredits=50, requestId="r-1", usedAiCredits=50.5)
    )
    assert isinstance(limit, SessionLimitReached)
    assert (limit.request_id, limit.used_ai_credits, limit.max_ai_credits) == ("r-1", 50.5, 50)
    assert limit.message.startswith("This conversation reached its limit of 50 AI credits (50.5 used)")
