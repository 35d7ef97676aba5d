"""The SDK's own loop and the pump that brings its events to the app's loop in short batches."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from desktop_app.core.copilot import sdk_thread
from desktop_app.core.copilot.sdk_thread import EventPump, SdkLoop
from tests.conftest import wait_until


@pytest.mark.asyncio
async def test_coroutines_run_on_the_sdk_thread_and_results_come_back() -> None:
    sdk = SdkLoop()
    try:

        async def where() -> str:
            await asyncio.sleep(0)
            return threading.current_thread().name

        assert await sdk.run(where()) == "copilot-sdk"

        async def boom() -> None:
            raise ValueError("from the SDK thread")

        with pytest.raises(ValueError, match="from the SDK thread"):
            await sdk.run(boom())
    finally:
        sdk.stop()


@pytest.mark.asyncio
async def test_cancelling_the_caller_cancels_the_work_there() -> None:
    sdk = SdkLoop()
    cancelled = threading.Event()

    async def forever() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    try:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(sdk.run(forever()), timeout=0.2)
        assert await asyncio.to_thread(cancelled.wait, 5)
    finally:
        sdk.stop()


@pytest.mark.asyncio
async def test_the_pump_delivers_in_order_in_batches_that_yield(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sdk_thread, "BATCH_BUDGET_S", 0.001)
    pump = EventPump(asyncio.get_running_loop())
    got: list[int] = []

    def slow(item: int) -> None:
        time.sleep(0.0002)
        got.append(item)

    def produce() -> None:
        for i in range(2000):
            pump.put(slow, i)

    await asyncio.to_thread(produce)
    await wait_until(lambda: len(got) == 2000, timeout=10)
    assert got == list(range(2000))
    assert pump.batches > 10  # it gave the loop back many times instead of one long stall
