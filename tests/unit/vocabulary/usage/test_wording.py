"""The words the gauge, its details and the banner use for premium requests."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.vocabulary.notices import Level, NoticeKind
from desktop_app.core.vocabulary.usage import wording
from desktop_app.core.vocabulary.usage.quota import PremiumQuota, UsageState

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
DEC_1 = datetime(2026, 12, 1, tzinfo=UTC)
PRO = PremiumQuota.of(300, 258, reset=DEC_1, plan="Pro")


def test_the_gauge_and_its_summary() -> None:
    assert wording.gauge_text(PRO) == "Premium 86%"
    assert wording.summary(PRO, NOW) == "42 of 300 premium requests left · resets Dec 1"


def test_a_percentage_is_rounded_down() -> None:
    assert wording.gauge_text(PremiumQuota.of(300, 299)) == "Premium 99%"


def test_used_up_with_and_without_overage() -> None:
    assert wording.summary(PremiumQuota.of(300, 300), NOW) == "All 300 premium requests used"
    billed = PremiumQuota.of(300, 312, overage_allowed=True, overage=12, reset=DEC_1)
    assert wording.summary(billed, NOW) == "All 300 premium requests used · 12 more billed · resets Dec 1"


def test_unlimited() -> None:
    quota = PremiumQuota.of(-1, 0)
    assert (wording.gauge_text(quota), wording.summary(quota, NOW)) == (
        "Premium ∞",
        "Unlimited premium requests",
    )


def test_a_reset_next_year_says_the_year() -> None:
    assert wording.date_text(datetime(2027, 1, 1, tzinfo=UTC), NOW) == "Jan 1, 2027"


def test_numbers_and_costs() -> None:
    assert [wording.number(n) for n in (0, 1, 1234, 0.33, 2.5, 1 / 3)] == [
        "0",
        "1",
        "1,234",
        "0.33",
        "2.5",
        "0.33",
    ]
    assert wording.requests(1) == "1 premium request"
    assert wording.cost_text(None) == "This conversation: not known yet"
    assert wording.cost_text(0) == "This conversation: no premium requests"
    assert wording.cost_text(3.0) == "This conversation: 3 premium requests"


def test_the_details() -> None:
    rows = dict(wording.detail_rows(UsageState(PRO, 2.0, True)))
    assert rows == {
        "Used": "258 of 300",
        "Left": "42",
        "Used this period": "86%",
        "Beyond the allowance": "refused until the reset",
        "Resets": "Dec 1, 2026",
        "Plan": "Copilot Pro",
        "This conversation": "2 premium requests",
    }


def test_the_tooltip_has_the_conversations_cost() -> None:
    text = wording.tooltip(UsageState(PRO, 0.33, True), NOW)
    assert text.splitlines() == [
        "42 of 300 premium requests left · resets Dec 1",
        "This conversation: 0.33 premium requests",
        "Click for details",
    ]


def test_warnings_say_what_is_left_and_when_it_resets() -> None:
    notice = wording.warning(PremiumQuota.of(300, 240, reset=DEC_1), NOW)
    assert (notice.kind, notice.level) == (NoticeKind.QUOTA, Level.WARNING)
    assert notice.text.startswith(
        "You have used 80% of your premium requests for this period (60 of 300 left)."
    )
    assert "They reset on Dec 1." in notice.text
    used_up = wording.warning(PremiumQuota.of(300, 300, reset=DEC_1), NOW)
    assert used_up.level is Level.ERROR and wording.COPILOT_SETTINGS_URL in used_up.text
    billed = wording.warning(PremiumQuota.of(300, 300, overage_allowed=True), NOW)
    assert billed.level is Level.WARNING and "billed per request" in billed.text


def test_a_refusal_says_what_happened_when_it_resets_and_what_to_do() -> None:
    text = wording.refusal(PRO, "You have exceeded your premium request allowance.", NOW)
    assert text.startswith(
        "Your premium requests for this period are used up "
        "(GitHub said: You have exceeded your premium request allowance.). They reset on Dec 1.\n"
    )
    assert "pick an included model (0×)" in text and "https://github.com/settings/copilot" in text
    assert "reset" not in wording.refusal(None, "", NOW).split("\n")[0]


@given(st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_any_quota_has_words(entitlement: float, used: float) -> None:
    quota = PremiumQuota.of(entitlement, used, reset=DEC_1)
    for text in (wording.gauge_text(quota), wording.summary(quota, NOW), wording.warning(quota, NOW).text):
        assert text and "nan" not in text.lower() and "inf" not in text.lower()
    assert wording.detail_rows(UsageState(quota, used, True))
