"""The SDK's quota and usage results to the app's ``PremiumQuota`` and costs: the one place that reads
their shapes (``AccountGetQuotaResult``, ``SessionQuotaGetResult``, ``UsageGetMetricsResult``).

What CLI 1.0.102 gives (measured against a scripted GitHub, see ``tests/tools``):
- ``account.get_quota`` answers from the user info the CLI read at its start (and keeps in a cache on
  disk, keyed by the token, for later processes too) and never changes after; its ``reset_date`` is
  the snapshot's ``timestamp_utc`` (when GitHub took it), not the reset: a date that is not in the
  future is therefore dropped.
- ``session.quota.get`` starts from the user info as GitHub sent it when the session was made (the
  snapshot's ``quota_reset_at`` as ``reset_date_epoch_ms``), and follows the quota headers of each
  Copilot reply in that session (``x-quota-snapshot-premium_interactions``); other sessions do not
  see it.
- ``usage.get_metrics`` has the session's whole cost (``total_premium_request_cost``), across CLI
  restarts and resumes.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from desktop_app.core.vocabulary.account import PLAN_NAMES
from desktop_app.core.vocabulary.usage.quota import PremiumQuota, count

PREMIUM = "premium_interactions"  # the snapshot key of premium requests


def _snapshot(snapshots: Any) -> Any:
    return snapshots.get(PREMIUM) if isinstance(snapshots, dict) else None


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _epoch_ms(value: Any) -> datetime | None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        return None
    try:
        return datetime.fromtimestamp(value / 1000.0, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def plan_name(tier: Any) -> str:
    """'Pro' for the CLI's ``SessionQuotaPlanTier.PRO`` ("" for unknown tiers)."""
    return PLAN_NAMES.get(str(getattr(tier, "value", tier) or ""), "")


def _quota(snapshot: Any, reset: datetime | None, plan: str) -> PremiumQuota:
    def get(name: str) -> Any:
        return getattr(snapshot, name, None)

    return PremiumQuota.of(
        get("entitlement_requests"),
        get("used_requests"),
        unlimited=get("is_unlimited_entitlement"),
        overage_allowed=get("overage_allowed_with_exhausted_quota"),
        overage=get("overage"),
        reset=reset,
        plan=plan,
        remaining_percent=get("remaining_percentage"),
    )


def from_account(result: Any, now: datetime, plan: str = "") -> PremiumQuota | None:
    """``client.rpc.account.get_quota(...)``; None when it has no premium snapshot."""
    snapshot = _snapshot(getattr(result, "quota_snapshots", None))
    if snapshot is None:
        return None
    reset = _iso(getattr(snapshot, "reset_date", None))
    return _quota(snapshot, reset if reset is not None and reset > now else None, plan)


def from_session(result: Any) -> PremiumQuota | None:
    """``session.rpc.quota.get()``; None when it has no premium snapshot."""
    snapshot = _snapshot(getattr(result, "snapshots", None))
    if snapshot is None:
        return None
    reset = _epoch_ms(getattr(snapshot, "reset_date_epoch_ms", None))
    return _quota(snapshot, reset, plan_name(getattr(result, "plan_tier", None)))


def total_cost(metrics: Any) -> float | None:
    """``session.rpc.usage.get_metrics()``: premium requests the session used in all."""
    value = getattr(metrics, "total_premium_request_cost", None)
    number = count(value)
    return number if number or value == 0 else None
