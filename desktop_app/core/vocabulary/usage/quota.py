"""The premium-request quota and what a conversation cost, as plain values every layer shares.

``core.copilot.usage`` reads them from the CLI; the controller decides when; the status bar's gauge
and its details show them. Numbers come from GitHub through the CLI, so ``PremiumQuota.of`` takes
whatever arrives (negative, NaN, infinite, absurdly large) and keeps only what can be shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

MAX_REQUESTS = 1e9  # more than any plan's entitlement: a larger figure is not a count
LOW_PERCENT = 80.0  # used: time to choose (about 60 of 300 left)
VERY_LOW_PERCENT = 95.0  # used: a last call (about 15 of 300 left)


class QuotaLevel(Enum):
    """How much is used, in the steps the gauge colours and the warnings use (in order)."""

    UNLIMITED = 0
    OK = 1
    LOW = 2  # LOW_PERCENT used
    VERY_LOW = 3  # VERY_LOW_PERCENT used
    USED_UP = 4  # nothing left this period

    @property
    def rank(self) -> int:
        return self.value


def count(value: object) -> float:
    """A request count as it can be shown: finite, 0 to MAX_REQUESTS; anything else is 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    number = float(value)
    if not math.isfinite(number) or number < 0:
        return 0.0
    return min(number, MAX_REQUESTS)


def _percent(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return min(100.0, max(0.0, float(value)))


@dataclass(frozen=True)
class PremiumQuota:
    """This period's premium requests: ``entitlement`` included (0 when unlimited), ``used`` so far
    (beyond the entitlement when overage is billed), ``reset`` when it starts again (UTC)."""

    entitlement: float
    used: float
    unlimited: bool = False
    overage_allowed: bool = False
    overage: float = 0.0  # requests this period beyond the entitlement (billed)
    reset: datetime | None = None
    plan: str = ""  # "Pro", "Business"… ("" when unknown)
    remaining_percent: float | None = None  # as GitHub said it, when there is no entitlement to count

    @classmethod
    def of(
        cls,
        entitlement: object,
        used: object,
        *,
        unlimited: object = False,
        overage_allowed: object = False,
        overage: object = 0.0,
        reset: datetime | None = None,
        plan: str = "",
        remaining_percent: object = None,
    ) -> PremiumQuota:
        """Whatever the CLI said, made showable (an entitlement of -1 means unlimited)."""
        is_unlimited = unlimited is True or (
            isinstance(entitlement, int | float) and not isinstance(entitlement, bool) and entitlement < 0
        )
        return cls(
            entitlement=0.0 if is_unlimited else count(entitlement),
            used=count(used),
            unlimited=is_unlimited,
            overage_allowed=overage_allowed is True,
            overage=count(overage),
            reset=reset,
            plan=plan,
            remaining_percent=_percent(remaining_percent),
        )

    @property
    def remaining(self) -> float:
        """Requests left this period (0 once used up, overage or not)."""
        return max(0.0, self.entitlement - self.used)

    @property
    def percent_used(self) -> float:
        """0 to 100: counted from the entitlement, else from GitHub's own percentage."""
        if self.unlimited:
            return 0.0
        if self.entitlement > 0:
            return min(100.0, 100.0 * self.used / self.entitlement)
        if self.remaining_percent is not None:
            return 100.0 - self.remaining_percent
        return 100.0 if self.used > 0 else 0.0

    @property
    def level(self) -> QuotaLevel:
        if self.unlimited:
            return QuotaLevel.UNLIMITED
        used = self.percent_used
        if used >= 100.0 or (self.entitlement > 0 and self.remaining <= 0):
            return QuotaLevel.USED_UP
        if used >= VERY_LOW_PERCENT:
            return QuotaLevel.VERY_LOW
        if used >= LOW_PERCENT:
            return QuotaLevel.LOW
        return QuotaLevel.OK


@dataclass(frozen=True)
class UsageState:
    """What the status bar's gauge shows: the quota (None: not known), this conversation's cost in
    premium requests (None: not known), and whether the gauge is shown at all (Copilot, signed in)."""

    quota: PremiumQuota | None = None
    conversation_cost: float | None = None
    shown: bool = False


HIDDEN = UsageState()


@dataclass(frozen=True)
class QuotaNews:
    """A new quota reading (None: nothing known, e.g. signed out), and the level to warn about now
    (``QuotaWarnings``: None most of the time)."""

    quota: PremiumQuota | None
    warn: QuotaLevel | None = None
