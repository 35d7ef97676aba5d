"""The sidebar's date groups: Pinned, Today, Yesterday, Previous 7 days, Older (by local calendar day).

Grouping by calendar day in the user's time zone (not by 24-hour spans) is what people expect: a
conversation from 23:50 is "Yesterday" at 00:10. Untrusted timestamps (a damaged or imported row may
hold anything) never raise: too far in the future is "Today", unreadable or too far back is "Older".
"""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum


class Group(StrEnum):
    """A section of the sidebar; the value is its label, the declaration order its order on screen."""

    PINNED = "Pinned"
    TODAY = "Today"
    YESTERDAY = "Yesterday"
    PREVIOUS_7_DAYS = "Previous 7 days"
    OLDER = "Older"

    @property
    def rank(self) -> int:
        """Its position top to bottom (Pinned is 0)."""
        return ORDER.index(self)


ORDER: tuple[Group, ...] = tuple(Group)


def _local_date(timestamp: float, now: dt.datetime) -> dt.date | None:
    """The calendar day of ``timestamp`` in ``now``'s time zone (local time for a naive ``now``)."""
    try:
        return dt.datetime.fromtimestamp(timestamp, tz=now.tzinfo).date()
    except (OverflowError, OSError, ValueError):
        return None


def group_of(updated_at: float, now: dt.datetime, pinned: bool = False) -> Group:
    """The group a conversation last changed at ``updated_at`` (seconds since the epoch) belongs in."""
    if pinned:
        return Group.PINNED
    if math.isnan(updated_at):
        return Group.OLDER
    day = _local_date(updated_at, now)
    if day is None:  # beyond what a datetime holds: a far future is "now", a far past is old
        return Group.TODAY if updated_at > now.timestamp() else Group.OLDER
    days_ago = (now.date() - day).days
    if days_ago <= 0:  # today, or a clock ahead of ours
        return Group.TODAY
    if days_ago == 1:
        return Group.YESTERDAY
    if days_ago <= 7:
        return Group.PREVIOUS_7_DAYS
    return Group.OLDER


def next_day_start(now: dt.datetime) -> dt.datetime:
    """The next local midnight after ``now``, when every group may shift by a day."""
    tomorrow = now.date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(), tzinfo=now.tzinfo)
