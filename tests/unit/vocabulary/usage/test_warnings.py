"""The warnings come once per level per period, in order, and never for unlimited plans."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop_app.core.vocabulary.usage.quota import PremiumQuota, QuotaLevel
from desktop_app.core.vocabulary.usage.warnings import QuotaWarnings

DEC = datetime(2026, 12, 1, tzinfo=UTC)
JAN = datetime(2027, 1, 1, tzinfo=UTC)


def used(n: float, reset: datetime | None = DEC, **kw: object) -> PremiumQuota:
    return PremiumQuota.of(300, n, reset=reset, **kw)  # type: ignore[arg-type]


def told(readings: list[PremiumQuota | None]) -> list[QuotaLevel | None]:
    warnings = QuotaWarnings()
    return [warnings.check(q) for q in readings]


def test_each_level_once_as_usage_climbs() -> None:
    readings: list[PremiumQuota | None] = [used(n) for n in (100, 240, 250, 285, 290, 300, 300)]
    assert told(readings) == [
        None, QuotaLevel.LOW, None, QuotaLevel.VERY_LOW, None, QuotaLevel.USED_UP, None,
    ]  # fmt: skip


def test_a_jump_past_two_levels_warns_once_for_the_higher() -> None:
    assert told([used(10), used(290), used(295)]) == [None, QuotaLevel.VERY_LOW, None]


def test_starting_high_warns_at_once() -> None:
    assert told([used(260)]) == [QuotaLevel.LOW]


def test_a_new_period_warns_again() -> None:
    assert told([used(250), used(10, JAN), used(250, JAN)]) == [QuotaLevel.LOW, None, QuotaLevel.LOW]


def test_usage_falling_back_rearms_without_a_reset_date() -> None:
    readings: list[PremiumQuota | None] = [used(250, None), used(5, None), used(250, None)]
    assert told(readings) == [QuotaLevel.LOW, None, QuotaLevel.LOW]


def test_a_reset_date_learnt_later_is_not_a_new_period() -> None:
    assert told([used(250, None), used(251, DEC)]) == [QuotaLevel.LOW, None]


def test_unlimited_and_unknown_never_warn() -> None:
    assert told([PremiumQuota.of(-1, 10_000), None, used(10)]) == [None, None, None]
