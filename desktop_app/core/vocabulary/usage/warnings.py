"""When to warn that premium requests run out: once per level per period, before they are gone.

The levels are ``QuotaLevel.LOW`` (80% used: about 60 of 300 left, time to choose models with care),
``VERY_LOW`` (95%: a last call, about 15 left) and ``USED_UP`` (the next premium request is refused,
or billed where overage is allowed). Each is said once: a level already told is not told again until
the period changes (another reset date) or usage falls back below it (a new period whose date the
CLI did not give). The memory lasts as long as the app runs; after a restart the current level is
told once more, which is what someone who forgot would want.
"""

from __future__ import annotations

from datetime import datetime

from desktop_app.core.vocabulary.usage.quota import PremiumQuota, QuotaLevel

WARNED_LEVELS = (QuotaLevel.LOW, QuotaLevel.VERY_LOW, QuotaLevel.USED_UP)


class QuotaWarnings:
    """Feed it every new quota reading; ``check`` says which level to warn about, if any."""

    def __init__(self) -> None:
        self._told: set[QuotaLevel] = set()
        self._period: datetime | None = None

    def check(self, quota: PremiumQuota | None) -> QuotaLevel | None:
        if quota is None or quota.unlimited:
            return None
        if quota.reset is not None and quota.reset != self._period:
            if self._period is not None:
                self._told.clear()  # a new period: every level may be told again
            self._period = quota.reset
        level = quota.level
        self._told = {told for told in self._told if told.rank <= level.rank}  # fell back below
        if level not in WARNED_LEVELS or level in self._told:
            return None
        self._told |= {w for w in WARNED_LEVELS if w.rank <= level.rank}  # 96% first: no 80% after
        return level
