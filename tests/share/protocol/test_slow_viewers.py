"""Viewers that stop reading: they slow no one else, and are cut off past a timeout or a backlog."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest

from desktop_app.core.share import ShareServer
from tests.conftest import wait_until
from tests.share.stalled_viewer import stalled_viewer
from tests.share.viewer_client import next_json, run, until_reply_done

BIG = "x" * 1_000_000  # a few of these fill every socket buffer between the server and a stalled viewer


def test_a_viewer_that_never_reads_slows_neither_the_caller_nor_other_viewers() -> None:
    """No timings: the stalled viewer is stuck in a send for the whole reply, and still the caller
    feeds every delta and the other viewer gets the complete reply; so neither waited on it."""
    # A long send timeout: the stalled viewer stays connected and stuck for the whole test.
    server = ShareServer("Slow", send_timeout=60)
    url = server.start()
    lines = [f"Paragraph {i}: " + "lorem ipsum dolor sit amet " * 12 + "\n\n" for i in range(1500)]
    try:
        with stalled_viewer(server.port, server.path):

            def stuck() -> bool:
                return server.viewer_count == 2 and any(v.backed_up for v in server._viewers)

            async def main() -> str:
                async with aiohttp.ClientSession() as session, session.ws_connect(url + "/ws") as ws:
                    await next_json(ws)
                    await wait_until(lambda: server.viewer_count == 2)
                    for _ in range(12):  # the stalled viewer's sender is now stuck in a send
                        server.add_notice(BIG)
                        assert (await next_json(ws))["type"] == "message"
                    assert stuck()
                    server.begin_reply()
                    for number, line in enumerate(lines):
                        for word in line.split(" "):
                            server.reply_delta(word + " ")
                        if number % 50 == 0:
                            await asyncio.sleep(0.02)  # a UI loop also does other things
                    server.end_reply()
                    final = str((await until_reply_done(ws))[-1]["html"])
                    assert stuck()  # it was stuck all along, and is still
                    return final

            final = run(main())
            server.stop()  # cuts the stuck viewer rather than waiting on it
            assert not server.running and server.viewer_count == 0
    finally:
        server.stop()
    assert "Paragraph 1499:" in final and final.count("<p>") == len(lines)


def test_a_viewer_stuck_in_a_send_past_the_timeout_is_disconnected(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="desktop_app.core.share")
    server = ShareServer("Slow", send_timeout=0.5)
    server.start()
    try:
        with stalled_viewer(server.port, server.path):

            async def main() -> None:
                await wait_until(lambda: server.viewer_count == 1)
                for _ in range(40):
                    server.add_notice(BIG)
                    if server.viewer_count == 0:
                        return
                    await asyncio.sleep(0.25)
                await wait_until(lambda: server.viewer_count == 0, timeout=10)

            run(main())
    finally:
        server.stop()
    assert "took over 0.5 s to take a message: disconnected" in caplog.text


def test_a_viewer_too_far_behind_is_disconnected_without_waiting_for_the_timeout(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="desktop_app.core.share")
    server = ShareServer("Slow", send_timeout=120, queue_limit=5)
    server.start()
    try:
        with stalled_viewer(server.port, server.path):

            async def main() -> None:
                await wait_until(lambda: server.viewer_count == 1)
                for _ in range(30):  # reply updates would coalesce; notices cannot
                    server.add_notice(BIG)
                await wait_until(lambda: server.viewer_count == 0, timeout=10)

            run(main())
    finally:
        server.stop()
    assert "fell 6 messages behind: disconnected" in caplog.text
