"""What laying out a message costs, learnt as messages are laid out, so a scroll step can do only
what fits in its frame and leave the rest (shown as placeholders) for the moments after.

Without it, a flick onto messages never laid out costs what they cost: 40 ms and more per wheel
step on a 2-core machine, while a frame is 16 ms.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]
CODE_WEIGHT = 4  # a character of code costs about this many of prose (it is highlighted)


def weight(text: str) -> int:
    """A message's cost in units of one character of prose (code inside fences counts more)."""
    pieces = text.split("```")
    return len(text) + (CODE_WEIGHT - 1) * sum(len(piece) for piece in pieces[1::2])


class BuildCost:
    """Seconds per unit of ``weight``, for a message rendered anew and for one whose HTML was
    cached (only parsed and laid out): each a moving average of what was measured. A prediction
    leans high (``MARGIN``): a step that overruns is a dropped frame, one that underruns is not."""

    MARGIN = 1.3

    def __init__(self, rendered: float = 2e-6, cached: float = 1e-6, fixed: float = 3e-4) -> None:
        self._rate = {True: rendered, False: cached}
        self.fixed = fixed  # per document, however short

    def predict(self, chars: int, rendered: bool = True) -> float:
        return self.fixed + chars * self._rate[rendered] * self.MARGIN

    def learn(self, chars: int, seconds: float, rendered: bool = True) -> None:
        if chars <= 0 or seconds <= 0:
            return
        rate = max(seconds - self.fixed, 0.0) / chars
        self._rate[rendered] += 0.2 * (rate - self._rate[rendered])


class FrameBudget:
    """The time one step may spend building documents. ``at_least_one``: a step after the scroll
    stopped must make progress even when one message alone costs more than the budget."""

    def __init__(
        self, seconds: float, cost: BuildCost, at_least_one: bool = False, clock: Clock = time.perf_counter
    ) -> None:
        self._clock = clock
        self._deadline = clock() + seconds
        self._cost = cost
        self._free = at_least_one
        self.left_out = False  # something was not built for lack of time
        self.waiting = False  # something waits for the render process (its arrival fills it)

    def affords(self, chars: int, rendered: bool = True) -> bool:
        """Whether a document of ``chars`` fits in what is left (then it counts as built)."""
        if self._free or self._clock() + self._cost.predict(chars, rendered) <= self._deadline:
            self._free = False
            return True
        self.left_out = True
        return False

    def close(self) -> None:
        """Nothing more is built in this step (what is left waits for the next one)."""
        self._deadline = float("-inf")
        self._free = False
        self.left_out = True
