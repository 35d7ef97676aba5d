"""The status bar's premium gauge: its text, bar and colour by level, its tooltip, hidden unless shown,
and the details a click or a key opens (with GitHub's pages one click away)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.usage.quota import PremiumQuota, QuotaLevel, UsageState
from desktop_app.ui.account.usage_gauge import COLOURS, UsageGauge

NOW = datetime(2026, 11, 20, tzinfo=UTC)
DEC_1 = datetime(2026, 12, 1, tzinfo=UTC)


def state(used: float, cost: float | None = 2.0, **kw: object) -> UsageState:
    return UsageState(PremiumQuota.of(300, used, reset=DEC_1, plan="Pro", **kw), cost, True)  # type: ignore[arg-type]


@pytest.fixture
def gauge(qtbot: QtBot) -> UsageGauge:
    gauge = UsageGauge(now=lambda: NOW)
    qtbot.addWidget(gauge)
    return gauge


@pytest.mark.parametrize(
    ("used", "text", "level"),
    [
        (10, "Premium 3%", QuotaLevel.OK),
        (258, "Premium 86%", QuotaLevel.LOW),
        (290, "Premium 96%", QuotaLevel.VERY_LOW),
        (300, "Premium 100%", QuotaLevel.USED_UP),
    ],
)
def test_the_bar_its_text_and_its_colour(
    gauge: UsageGauge, used: float, text: str, level: QuotaLevel
) -> None:
    gauge.show_usage(state(used))
    assert not gauge.isHidden()
    assert gauge.text() == text and gauge.value() == int(text.split()[1][:-1])
    assert gauge.level is level and COLOURS[level] in gauge.styleSheet()
    assert gauge.accessibleName() == "Premium requests"


def test_the_colours_step_up_with_the_level() -> None:
    steps = [
        COLOURS[level] for level in (QuotaLevel.OK, QuotaLevel.LOW, QuotaLevel.VERY_LOW, QuotaLevel.USED_UP)
    ]
    assert len(set(steps)) == 4


def test_the_tooltip_says_what_is_left_and_what_this_conversation_cost(gauge: UsageGauge) -> None:
    gauge.show_usage(state(258, 3.0))
    assert gauge.toolTip() == (
        "<p>42 of 300 premium requests left · resets Dec 1<br>This conversation: 3 premium requests"
        "<br>Click for details</p>"
    )
    assert "42 of 300 premium requests left" in gauge.accessibleDescription()


def test_unlimited(gauge: UsageGauge) -> None:
    gauge.show_usage(UsageState(PremiumQuota.of(-1, 5), 0.0, True))
    assert (gauge.text(), gauge.value(), gauge.level) == ("Premium ∞", 0, QuotaLevel.UNLIMITED)


def test_hidden_unless_shown_and_known(gauge: UsageGauge) -> None:
    gauge.show_usage(state(10))
    gauge.show_usage(UsageState(state(10).quota, 0.0, False))  # the endpoint, the demo, signed out
    assert gauge.isHidden()
    gauge.show_usage(UsageState(None, 0.0, True))
    assert gauge.isHidden()


def test_a_click_opens_the_details(qtbot: QtBot, gauge: UsageGauge) -> None:
    gauge.show_usage(state(258, 0.33))
    gauge.show()
    with qtbot.waitSignal(gauge.details_opened):
        qtbot.mouseClick(gauge, Qt.MouseButton.LeftButton)
    details = gauge.details
    assert details is not None and details.isVisible()
    assert details.summary.text() == "42 of 300 premium requests left · resets Dec 1"
    assert (details.value("Used"), details.value("Left"), details.value("Resets")) == (
        "258 of 300",
        "42",
        "Dec 1, 2026",
    )
    assert (details.value("Plan"), details.value("This conversation")) == (
        "Copilot Pro",
        "0.33 premium requests",
    )
    gauge.show_usage(state(259, 1.33))  # open: it follows
    assert details.value("Left") == "41" and details.value("This conversation") == "1.33 premium requests"
    gauge.show_usage(UsageState())
    assert not details.isVisible()


def test_enter_opens_the_details_too(qtbot: QtBot, gauge: UsageGauge) -> None:
    gauge.show_usage(state(10))
    gauge.show()
    with qtbot.waitSignal(gauge.details_opened):
        qtbot.keyClick(gauge, Qt.Key.Key_Return)


def test_the_details_open_githubs_pages(
    qtbot: QtBot, gauge: UsageGauge, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    gauge.show_usage(state(300, overage_allowed=True, overage=4))
    gauge.show()
    details = gauge.open_details()
    assert details.value("Beyond the allowance") == "billed per request (4 so far)"
    qtbot.mouseClick(details.usage_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(details.settings_button, Qt.MouseButton.LeftButton)
    assert opened == ["https://github.com/settings/billing", "https://github.com/settings/copilot"]
