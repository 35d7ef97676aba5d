"""The sidebar's date groups: labels, local calendar days, and any timestamp at all."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation.date_groups import ORDER, Group, group_of, next_day_start

ZONE = dt.timezone(dt.timedelta(hours=2))
NOW = dt.datetime(2026, 3, 11, 0, 10, tzinfo=ZONE)  # ten past midnight, local


def at(*args: int) -> float:
    return dt.datetime(*args, tzinfo=ZONE).timestamp()  # type: ignore[misc]


def test_labels_and_order_are_the_sidebar_s() -> None:
    assert [g.value for g in ORDER] == ["Pinned", "Today", "Yesterday", "Previous 7 days", "Older"]
    assert [g.rank for g in ORDER] == [0, 1, 2, 3, 4]


def test_calendar_days_in_the_local_zone() -> None:
    assert group_of(at(2026, 3, 11, 0, 0), NOW) is Group.TODAY
    assert group_of(at(2026, 3, 10, 23, 50), NOW) is Group.YESTERDAY  # twenty minutes ago
    assert group_of(at(2026, 3, 10, 0, 0), NOW) is Group.YESTERDAY
    assert group_of(at(2026, 3, 9, 23, 59), NOW) is Group.PREVIOUS_7_DAYS
    assert group_of(at(2026, 3, 4, 0, 0), NOW) is Group.PREVIOUS_7_DAYS  # seven days before today
    assert group_of(at(2026, 3, 3, 23, 59), NOW) is Group.OLDER
    assert group_of(at(2026, 3, 12, 9, 0), NOW) is Group.TODAY  # a clock ahead of ours
    # The same instant is "Today" an hour to the west, where it is still the 10th.
    west = NOW.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert group_of(at(2026, 3, 10, 23, 50), west) is Group.TODAY


def test_pinned_wins_over_any_date() -> None:
    assert group_of(at(2026, 3, 11, 0, 5), NOW, pinned=True) is Group.PINNED
    assert group_of(0.0, NOW, pinned=True) is Group.PINNED


def test_damaged_timestamps_do_not_raise() -> None:
    assert group_of(float("nan"), NOW) is Group.OLDER
    assert group_of(float("-inf"), NOW) is Group.OLDER
    assert group_of(-1e300, NOW) is Group.OLDER
    assert group_of(float("inf"), NOW) is Group.TODAY
    assert group_of(1e300, NOW) is Group.TODAY
    assert group_of(1e300, NOW.replace(tzinfo=None)) is Group.TODAY  # naive: the machine's zone


def test_next_day_start_is_the_coming_local_midnight() -> None:
    assert next_day_start(NOW) == dt.datetime(2026, 3, 12, tzinfo=ZONE)


zones = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
nows = st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=zones)
stamps = st.floats(allow_nan=True, allow_infinity=True)


@given(stamps, nows, st.booleans())
def test_every_timestamp_has_exactly_one_group(stamp: float, now: dt.datetime, pinned: bool) -> None:
    group = group_of(stamp, now, pinned)
    assert isinstance(group, Group)
    assert sum(group is g for g in ORDER) == 1
    assert (group is Group.PINNED) == pinned


@given(stamps, stamps, nows)
def test_newer_never_sorts_below_older(a: float, b: float, now: dt.datetime) -> None:
    older, newer = sorted((a, b), key=lambda x: (x == x, x))  # NaN counts as the oldest
    assert group_of(newer, now).rank <= group_of(older, now).rank


@given(st.floats(min_value=0, max_value=7 * 86400), nows)
def test_the_last_day_is_today_or_yesterday(seconds_ago: float, now: dt.datetime) -> None:
    group = group_of(now.timestamp() - seconds_ago, now)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    expected = Group.TODAY if now.timestamp() - seconds_ago >= midnight.timestamp() else None
    if expected is not None:
        assert group is expected
    else:
        assert group in (Group.YESTERDAY, Group.PREVIOUS_7_DAYS)
