"""The words for premium usage: the gauge, its details, the warnings and a refused request.

Dates are GitHub's (UTC: a period starts at midnight UTC), written in English month names so the
text is the same on every machine.
"""

from __future__ import annotations

import math
from datetime import datetime

from desktop_app.core.vocabulary.notices import Level, Notice, NoticeKind
from desktop_app.core.vocabulary.usage.quota import PremiumQuota, QuotaLevel, UsageState

COPILOT_SETTINGS_URL = "https://github.com/settings/copilot"  # overage ("premium requests") is set here
USAGE_URL = "https://github.com/settings/billing"  # GitHub's own account of what was used
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WHAT_TO_DO = (
    "To keep going now, pick an included model (0×) in the model picker, or allow paid premium "
    f"requests in your Copilot settings: {COPILOT_SETTINGS_URL}"
)


def number(value: float) -> str:
    """42, 1,234, 0.33: whole counts without decimals, multiplied costs with at most two."""
    if not math.isfinite(value):
        return "?"  # not a count (``PremiumQuota.of`` never keeps one; a cost might come in so)
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def requests(value: float) -> str:
    """'1 premium request', '2.5 premium requests'."""
    return f"{number(value)} premium request{'' if value == 1 else 's'}"


def date_text(moment: datetime, now: datetime) -> str:
    """'Dec 1', or 'Jan 1, 2028' when it is not this year."""
    text = f"{MONTHS[moment.month - 1]} {moment.day}"
    return text if moment.year == now.year else f"{text}, {moment.year}"


def full_date(moment: datetime) -> str:
    """'Dec 1, 2026'."""
    return f"{MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


def percent_used_text(quota: PremiumQuota) -> str:
    """Rounded down: 299 of 300 is 99%, never a 100% that is not used up."""
    return f"{math.floor(quota.percent_used)}%"


def gauge_text(quota: PremiumQuota) -> str:
    return "Premium ∞" if quota.unlimited else f"Premium {percent_used_text(quota)}"


def _resets(quota: PremiumQuota, now: datetime) -> str:
    return f"resets {date_text(quota.reset, now)}" if quota.reset is not None else ""


def summary(quota: PremiumQuota, now: datetime) -> str:
    """'42 of 300 premium requests left · resets Dec 1'."""
    if quota.unlimited:
        parts = ["Unlimited premium requests"]
    elif quota.entitlement <= 0:
        parts = [f"{percent_used_text(quota)} of premium requests used"]
    elif quota.remaining > 0:
        parts = [f"{number(quota.remaining)} of {number(quota.entitlement)} premium requests left"]
    else:
        parts = [f"All {number(quota.entitlement)} premium requests used"]
        if quota.overage > 0:
            parts.append(f"{number(quota.overage)} more billed")
    parts.append(_resets(quota, now))
    return " · ".join(p for p in parts if p)


def cost_text(cost: float | None) -> str:
    """What this conversation used, as the gauge's tooltip and details say it."""
    if cost is None:
        return "This conversation: not known yet"
    if cost <= 0:
        return "This conversation: no premium requests"
    return f"This conversation: {requests(cost)}"


def tooltip(state: UsageState, now: datetime) -> str:
    lines = [summary(state.quota, now)] if state.quota is not None else []
    lines.append(cost_text(state.conversation_cost))
    lines.append("Click for details")
    return "\n".join(lines)


def detail_rows(state: UsageState) -> list[tuple[str, str]]:
    """The details popup, row by row (label, value)."""
    quota, rows = state.quota, list[tuple[str, str]]()
    if quota is not None:
        if quota.unlimited:
            rows.append(("Premium requests", "Unlimited"))
        else:
            if quota.entitlement > 0:
                rows.append(("Used", f"{number(quota.used)} of {number(quota.entitlement)}"))
                rows.append(("Left", number(quota.remaining)))
            rows.append(("Used this period", percent_used_text(quota)))
            if quota.overage_allowed:
                extra = f" ({number(quota.overage)} so far)" if quota.overage > 0 else ""
                rows.append(("Beyond the allowance", f"billed per request{extra}"))
            else:
                rows.append(("Beyond the allowance", "refused until the reset"))
        if quota.reset is not None:
            rows.append(("Resets", full_date(quota.reset)))
        if quota.plan:
            rows.append(("Plan", f"Copilot {quota.plan}"))
    rows.append(("This conversation", cost_text(state.conversation_cost).split(": ", 1)[1]))
    return rows


def warning(quota: PremiumQuota, now: datetime) -> Notice:
    """The banner's warning as the quota reaches a level (``QuotaWarnings`` says when)."""
    resets = f" They reset on {date_text(quota.reset, now)}." if quota.reset is not None else ""
    if quota.level is QuotaLevel.USED_UP:
        if quota.overage_allowed:
            text = (
                "You have used all your premium requests for this period: further ones are billed "
                f"per request.{resets}"
            )
            return Notice(NoticeKind.QUOTA, text, Level.WARNING)
        text = f"You have used all your premium requests for this period.{resets}\n{WHAT_TO_DO}"
        return Notice(NoticeKind.QUOTA, text, Level.ERROR)
    left = f"{number(quota.remaining)} of {number(quota.entitlement)} left" if quota.entitlement else ""
    detail = f" ({left})" if left else ""
    text = (
        f"You have used {percent_used_text(quota)} of your premium requests for this period{detail}."
        f"{resets} Included models (0×) do not use them."
    )
    return Notice(NoticeKind.QUOTA, text, Level.WARNING)


def refusal(quota: PremiumQuota | None, said: str, now: datetime) -> str:
    """A request GitHub refused for the quota: what happened, when it resets, what to do."""
    resets = ""
    if quota is not None and quota.reset is not None:
        resets = f" They reset on {date_text(quota.reset, now)}."
    said = said.strip()
    github = f" (GitHub said: {said})" if said else ""
    return f"Your premium requests for this period are used up{github}.{resets}\n{WHAT_TO_DO}"


def session_limit(used: float, limit: float) -> str:
    """The CLI's per-session AI-credit limit stopped a request (the app sets none; see the event)."""
    return (
        f"This conversation reached its limit of {number(limit)} AI credits ({number(used)} used), "
        "so Copilot stopped the request. Start a new conversation, or raise the limit where it was set."
    )


def refusal_notice(text: str) -> Notice:
    return Notice(NoticeKind.QUOTA, text, Level.ERROR)
