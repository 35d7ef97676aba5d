"""SDK data built the SDK's own way (``from_dict`` on the wire's camelCase), as the CLI sends it."""

from __future__ import annotations

import uuid
from typing import Any

from copilot.generated.rpc import AccountGetQuotaResult, SessionQuotaGetResult
from copilot.generated.session_events import SessionEvent, UsageGetMetricsResult


def snapshot(entitlement: float = 300, used: float = 258, **extra: Any) -> dict[str, Any]:
    return {
        "entitlementRequests": entitlement,
        "isUnlimitedEntitlement": False,
        "overage": 0.0,
        "overageAllowedWithExhaustedQuota": False,
        "remainingPercentage": 14.0,
        "usageAllowedWithExhaustedQuota": False,
        "usedRequests": used,
        **extra,
    }


def account_quota(**snapshots: dict[str, Any]) -> AccountGetQuotaResult:
    return AccountGetQuotaResult.from_dict({"quotaSnapshots": snapshots})


def session_quota(plan: str = "pro", **snapshots: dict[str, Any]) -> SessionQuotaGetResult:
    flags = ("canSignupForCopilotFree", "delegateAvailable", "dynamicWorkflowsEnabled")
    flags += ("dynamicWorkflowsUiVisible", "isFreeUser", "isTbbUser", "modelCostColumnVisible")
    return SessionQuotaGetResult.from_dict(
        {
            **dict.fromkeys(flags, False),
            "planTier": plan,
            "premiumRequestsBillable": True,
            "snapshots": snapshots,
        }
    )


def metrics(total: float) -> UsageGetMetricsResult:
    return UsageGetMetricsResult.from_dict(
        {
            "codeChanges": {"filesModified": [], "filesModifiedCount": 0, "linesAdded": 0, "linesRemoved": 0},
            "lastCallInputTokens": 10,
            "lastCallOutputTokens": 3,
            "modelMetrics": {},
            "sessionStartTime": "2026-12-02T03:58:56.844Z",
            "totalApiDurationMs": 6,
            "totalPremiumRequestCost": total,
            "totalUserRequests": 1,
        }
    )


def event(kind: str, **data: Any) -> SessionEvent:
    return SessionEvent.from_dict(
        {"type": kind, "id": str(uuid.uuid4()), "timestamp": "2026-12-02T04:00:00.000Z", "data": data}
    )
