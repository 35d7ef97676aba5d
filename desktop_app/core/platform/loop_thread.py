"""Serving an asyncio loop on a thread of its own (the SDK's, the share server's) and closing it cleanly."""

from __future__ import annotations

import asyncio


def run_loop_until_stopped(loop: asyncio.AbstractEventLoop) -> None:
    """A thread's loop: serve until ``loop.stop()``, then cancel what is left and close it cleanly."""
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
