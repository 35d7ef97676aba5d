"""When the next streaming render may run: coalesce deltas, and never let rendering starve the loop.

A fixed-interval throttle collapses once one render takes longer than the interval (perf.md §3.4);
here the gap after a render is at least as long as that render took.
"""

from __future__ import annotations


class AdaptiveThrottle:
    def __init__(self, interval: float = 0.033) -> None:
        self.interval = interval
        self._last_end: float | None = None
        self._last_cost = 0.0

    def delay(self, now: float) -> float:
        """Seconds to wait before rendering, from ``now``."""
        if self._last_end is None:
            return 0.0
        gap = max(self.interval, self._last_cost)
        return max(0.0, self._last_end + gap - now)

    def rendered(self, start: float, end: float) -> None:
        self._last_end = end
        self._last_cost = max(0.0, end - start)

    def reset(self) -> None:
        self._last_end = None
        self._last_cost = 0.0
