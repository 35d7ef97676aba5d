"""PremiumQuota.of keeps what can be shown of whatever GitHub sent; levels follow the percent used."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.vocabulary.usage.quota import MAX_REQUESTS, PremiumQuota, QuotaLevel, count

ODD = st.one_of(
    st.floats(allow_nan=False),  # negative, huge, infinite
    st.integers(min_value=-(10**30), max_value=10**30),
    st.none(),
    st.booleans(),
    st.text(max_size=3),
)


def test_a_plain_quota() -> None:
    quota = PremiumQuota.of(300, 258, remaining_percent=14.0)
    assert (quota.remaining, quota.percent_used, quota.level) == (42, 86.0, QuotaLevel.LOW)


def test_an_entitlement_of_minus_one_is_unlimited() -> None:
    quota = PremiumQuota.of(-1, 0, remaining_percent=100.0)
    assert quota.unlimited and quota.entitlement == 0 and quota.level is QuotaLevel.UNLIMITED
    assert quota.percent_used == 0.0


def test_unlimited_said_outright() -> None:
    assert PremiumQuota.of(300, 500, unlimited=True).level is QuotaLevel.UNLIMITED


def test_the_levels() -> None:
    levels = [PremiumQuota.of(300, used).level for used in (0, 239, 240, 284, 285, 299, 300, 340)]
    assert levels == [
        QuotaLevel.OK, QuotaLevel.OK, QuotaLevel.LOW, QuotaLevel.LOW, QuotaLevel.VERY_LOW,
        QuotaLevel.VERY_LOW, QuotaLevel.USED_UP, QuotaLevel.USED_UP,
    ]  # fmt: skip


def test_overage_counts_past_the_entitlement_but_nothing_is_left() -> None:
    quota = PremiumQuota.of(300, 312, overage_allowed=True, overage=12)
    assert (quota.remaining, quota.percent_used, quota.level) == (0, 100.0, QuotaLevel.USED_UP)


def test_no_entitlement_uses_githubs_percentage() -> None:
    assert PremiumQuota.of(0, 0, remaining_percent=25.0).percent_used == 75.0
    assert PremiumQuota.of(None, None).percent_used == 0.0


def test_truthy_strings_are_not_flags() -> None:
    quota = PremiumQuota.of(300, 1, unlimited="yes", overage_allowed=1)
    assert not quota.unlimited and not quota.overage_allowed


@given(ODD)
def test_count_is_always_a_showable_count(value: object) -> None:
    number = count(value)
    assert math.isfinite(number) and 0 <= number <= MAX_REQUESTS


@given(ODD, ODD, ODD, ODD, ODD)
def test_any_reading_gives_sane_figures(
    entitlement: object, used: object, overage: object, percent: object, unlimited: object
) -> None:
    quota = PremiumQuota.of(
        entitlement, used, overage=overage, remaining_percent=percent, unlimited=unlimited
    )
    assert 0.0 <= quota.percent_used <= 100.0
    assert 0.0 <= quota.remaining <= MAX_REQUESTS
    assert quota.remaining_percent is None or 0.0 <= quota.remaining_percent <= 100.0
    assert isinstance(quota.level, QuotaLevel)
    assert (quota.level is QuotaLevel.UNLIMITED) == quota.unlimited
