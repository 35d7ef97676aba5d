"""The interpreter's switch interval, shortened for the threads that share the screen's GIL.

A PySide call releases the GIL; a busy thread (the SDK's, parsing events; the render pool's
feeder, pickling rows) takes it, and the screen's thread waits out the switch interval (5 ms by
default) to get it back, at every such call. At 1 ms three windows streaming at the CLI's top speed
stalled half as long and relayed a third more chunks a second (tests/benchmarks/bench_three_windows.py).
"""

from __future__ import annotations

import sys

SWITCH_INTERVAL_S = 0.001


def share_finely() -> None:
    """Before starting a thread that competes with the screen's for the GIL."""
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)
