"""Importing a heavy module on a worker thread, so the screen's loop keeps painting meanwhile.

A module first imported in the middle of a stream froze every window for its import: httpx for
the endpoint's model list (0.2 s), the notification backend at the first reply's end (50 ms).
On a worker thread the import still holds the GIL in turns, but the loop gets its own turn every
switch interval (1 ms, see ``core/platform/gil``) instead of waiting for the whole import.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from types import ModuleType


async def import_module(name: str) -> ModuleType:
    """``importlib.import_module(name)``, on a worker thread unless it is imported already."""
    module = sys.modules.get(name)
    if module is not None:
        return module
    return await asyncio.to_thread(importlib.import_module, name)
