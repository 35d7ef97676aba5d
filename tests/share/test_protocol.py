"""The live share server against a real aiohttp client: protocol, security, lifecycle, slow viewers.

These tests drive their clients with ``asyncio.run`` (a plain loop of their own): the server runs on
its own thread and loop, and its API is synchronous, so no Qt loop is involved.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import aiohttp
import pytest

from desktop_app.core.share import ShareServer
from desktop_app.core.share.network import CSP
from tests.conftest import wait_until
from tests.share.stalled_viewer import stalled_viewer

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coro, 60))


def origin(server: ShareServer) -> str:
    return f"http://127.0.0.1:{server.port}"


async def next_json(ws: aiohttp.ClientWebSocketResponse, timeout: float = 10) -> dict[str, Any]:
    message = await ws.receive(timeout=timeout)
    assert message.type is aiohttp.WSMsgType.TEXT, message
    data: dict[str, Any] = json.loads(message.data)
    return data


async def until_reply_done(ws: aiohttp.ClientWebSocketResponse) -> list[dict[str, Any]]:
    """Every message up to and including the completed reply."""
    seen: list[dict[str, Any]] = []
    while not (seen and seen[-1]["type"] == "reply" and seen[-1]["done"]):
        seen.append(await next_json(ws))
    return seen


def test_snapshot_shows_the_conversation_reported_before_sharing(share: ShareServer) -> None:
    share.set_conversation(
        "Plans <today>",
        [
            ("user", "Is <b>this</b> bold?\nSecond line"),
            ("assistant", "**Yes**, and `code`.\n\n- one\n- two"),
            ("notice", "Model switched to <gpt>"),
        ],
    )
    url = share.start()
    assert url.startswith(f"http://127.0.0.1:{share.port}/s/")

    async def main() -> dict[str, Any]:
        async with aiohttp.ClientSession() as session, session.ws_connect(url + "/ws") as ws:
            return await next_json(ws)

    snapshot = run(main())
    assert snapshot["type"] == "snapshot"
    assert snapshot["title"] == "Plans <today>"  # plain text: the page sets it with textContent
    assert snapshot["streaming"] is False
    roles = [(m["role"], m["done"]) for m in snapshot["messages"]]
    assert roles == [("user", True), ("assistant", True), ("notice", True)]
    user, assistant, notice = (m["html"] for m in snapshot["messages"])
    assert user == "Is &lt;b&gt;this&lt;/b&gt; bold?\nSecond line"
    assert (
        "<strong>Yes</strong>" in assistant
        and "<code>code</code>" in assistant
        and "<li>two</li>" in assistant
    )
    assert notice == "Model switched to &lt;gpt&gt;"


def test_a_streaming_reply_arrives_rendered_with_html_escaped(share: ShareServer) -> None:
    url = share.start()
    reply = [
        "Here is **bo",
        "ld** text.\n\n",
        "<script>alert(1)</script>\n\n",
        "<img src=x onerror=alert(2)>\n\n",
        "```python\nprint('hi')\n",
        "```\n\n[link](javascript:alert(3))\n",
    ]

    async def main() -> list[dict[str, Any]]:
        async with aiohttp.ClientSession() as session, session.ws_connect(url + "/ws") as ws:
            assert (await next_json(ws))["messages"] == []
            share.add_user("Show me <b>markup</b>")
            message = await next_json(ws)
            assert message == {"type": "message", "role": "user", "html": "Show me &lt;b&gt;markup&lt;/b&gt;"}
            share.begin_reply()
            started = await next_json(ws)
            assert started == {"type": "reply", "html": "", "done": False}  # the page shows it at once
            for delta in reply:
                share.reply_delta(delta)
                await asyncio.sleep(0.06)  # past the render interval: each delta shows
            share.end_reply()
            return await until_reply_done(ws)

    updates = run(main())
    assert all(u["type"] == "reply" for u in updates)
    assert [u["done"] for u in updates].count(True) == 1
    partial = [u["html"] for u in updates if not u["done"]]
    assert any("<strong>bold</strong>" in h and "print" not in h for h in partial)  # it streamed
    final = updates[-1]["html"]
    assert "<strong>bold</strong>" in final
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in final
    assert "&lt;img src=x onerror=alert(2)&gt;" in final
    assert '<pre class="codehilite"><code>' in final and "print" in final
    assert "<script" not in final and "<img" not in final and "javascript:" not in final
    assert "copy:" not in final  # the app's Copy links mean nothing in a browser


def test_end_reply_with_final_text_replaces_what_streamed(share: ShareServer) -> None:
    url = share.start()

    async def main() -> list[dict[str, Any]]:
        async with aiohttp.ClientSession() as session, session.ws_connect(url + "/ws") as ws:
            await next_json(ws)
            share.reply_delta("draft that will be *replaced*")  # begins a reply by itself
            share.end_reply("The **final** answer")
            return await until_reply_done(ws)

    updates = run(main())
    assert updates[-1] == {"type": "reply", "html": "<p>The <strong>final</strong> answer</p>", "done": True}


def test_a_viewer_joining_mid_reply_gets_it_and_then_its_end(share: ShareServer) -> None:
    share.set_conversation("Chat", [("user", "Count")])
    url = share.start()
    share.begin_reply()
    share.reply_delta("One, two,")

    async def main() -> list[dict[str, Any]]:
        async with aiohttp.ClientSession() as session, session.ws_connect(url + "/ws") as ws:
            snapshot = await next_json(ws)
            share.reply_delta(" three.")
            share.end_reply()
            return [snapshot, *await until_reply_done(ws)]

    snapshot, *updates = run(main())
    assert snapshot["streaming"] is True
    assert snapshot["messages"][-1] == {"role": "assistant", "html": "<p>One, two,</p>", "done": False}
    assert updates[-1] == {"type": "reply", "html": "<p>One, two, three.</p>", "done": True}


def test_a_viewer_joining_while_a_render_waits_on_the_throttle_gets_the_latest_text() -> None:
    server = ShareServer("Throttled", render_interval=30)  # the next render would wait half a minute
    url = server.start()
    try:

        async def main() -> dict[str, Any]:
            async with aiohttp.ClientSession() as session, session.ws_connect(url + "/ws") as first:
                await next_json(first)
                server.begin_reply()
                server.reply_delta("Early words")
                # One render goes out at once: the reply begun, or already with its first words
                # (a race between the two); either way the next render waits on the throttle.
                await next_json(first)
                server.reply_delta(" and later ones.")  # this render waits on the throttle
                await asyncio.sleep(0.2)
                async with session.ws_connect(url + "/ws") as newcomer:
                    return await next_json(newcomer)

        snapshot = run(main())
    finally:
        server.stop()
    assert snapshot["messages"][-1]["html"] == "<p>Early words and later ones.</p>"


def test_messages_notices_titles_and_new_conversations_reach_viewers(share: ShareServer) -> None:
    url = share.start()

    async def main() -> list[dict[str, Any]]:
        async with aiohttp.ClientSession() as session, session.ws_connect(url + "/ws") as ws:
            await next_json(ws)
            share.begin_reply()
            share.reply_delta("Half a reply")
            share.add_notice("Request failed: <timeout>")  # ends the open reply first
            seen = [await next_json(ws)]
            while seen[-1]["type"] != "message":
                seen.append(await next_json(ws))
            share.set_title("Renamed")
            seen.append(await next_json(ws))
            share.set_conversation("Other chat", [("user", "hello"), ("assistant", "*hi*")])
            seen.append(await next_json(ws))
            return seen

    seen = run(main())
    assert {"type": "reply", "html": "<p>Half a reply</p>", "done": True} in seen
    assert seen[-3:] == [
        {"type": "message", "role": "notice", "html": "Request failed: &lt;timeout&gt;"},
        {"type": "title", "title": "Renamed"},
        {
            "type": "snapshot",
            "title": "Other chat",
            "messages": [
                {"role": "user", "html": "hello", "done": True},
                {"role": "assistant", "html": "<p><em>hi</em></p>", "done": True},
            ],
            "streaming": False,
        },
    ]


def test_unknown_roles_are_refused(share: ShareServer) -> None:
    with pytest.raises(ValueError, match="unknown role"):
        share.set_conversation("Chat", [("system", "no")])


def _wrong_token(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + "A" * 32


@pytest.mark.parametrize("suffix", ["", "/", "/page.js", "/page.css", "/ws"])
def test_a_wrong_token_gets_404_for_every_file(share: ShareServer, suffix: str) -> None:
    url = share.start()

    async def main() -> tuple[int, str]:
        async with aiohttp.ClientSession() as session, session.get(_wrong_token(url) + suffix) as response:
            return response.status, await response.text()

    status, body = run(main())
    assert status == 404
    assert share.path not in body


def test_a_websocket_with_a_wrong_token_is_refused(share: ShareServer) -> None:
    url = share.start()

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(_wrong_token(url) + "/ws")
            assert refused.value.status == 404
            # A token that is a prefix of the real one is no better.
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await session.ws_connect(url[:-1] + "/ws")

    run(main())
    assert share.viewer_count == 0


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/s",
        "/s/",
        "/favicon.ico",
        "/index.html",
        "/static/",
        "/{path}/other",
        "/{path}/page.js/x",
        "/{path}/../",
    ],
)
def test_everything_but_the_token_path_is_404(share: ShareServer, path: str) -> None:
    share.start()

    async def main() -> int:
        url = origin(share) + path.format(path=share.path.strip("/"))
        async with aiohttp.ClientSession() as session, session.get(url, allow_redirects=False) as response:
            return response.status

    assert run(main()) == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
def test_only_get_is_served(share: ShareServer, method: str) -> None:
    url = share.start()

    async def main() -> int:
        async with aiohttp.ClientSession() as session, session.request(method, url) as response:
            return response.status

    assert run(main()) == 404


def test_every_response_carries_the_security_headers(share: ShareServer) -> None:
    url = share.start()
    expected_types = {
        "": "text/html",
        "/page.js": "text/javascript",
        "/page.css": "text/css",
        "/nope": "text/plain",
    }

    async def main() -> dict[str, tuple[int, Any, str]]:
        results = {}
        async with aiohttp.ClientSession() as session:
            for suffix in expected_types:
                async with session.get(url + suffix) as response:
                    results[suffix] = (response.status, response.headers.copy(), await response.text())
        return results

    results = run(main())
    for suffix, (status, headers, _body) in results.items():
        assert status == (404 if suffix == "/nope" else 200)
        assert headers["Content-Type"].startswith(expected_types[suffix])
        csp = headers["Content-Security-Policy"]
        assert csp == CSP
        for directive in (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
        ):
            assert directive in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"
    page = results[""][2]
    # No inline script or style: everything the CSP allows comes from the token path.
    assert f'<script src="{share.path}/page.js" defer></script>' in page
    assert f'<link rel="stylesheet" href="{share.path}/page.css">' in page
    assert page.count("<script") == 1 and "style=" not in page and "<style" not in page
    assert 'aria-live="polite"' in page
    assert "prefers-color-scheme: dark" in results["/page.css"][2]
    assert ".codehilite" in results["/page.css"][2]


def test_a_websocket_from_another_origin_is_refused(share: ShareServer) -> None:
    url = share.start()

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            for foreign in ("http://evil.example", "null", f"http://localhost:{share.port + 1}"):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(url + "/ws", origin=foreign)
                assert refused.value.status == 403
            async with session.ws_connect(url + "/ws", origin=origin(share)) as ws:
                assert (await next_json(ws))["type"] == "snapshot"

    run(main())


def test_a_request_for_another_host_name_is_refused(share: ShareServer) -> None:
    """A DNS-rebinding page on another name that resolves to 127.0.0.1 gets nothing."""
    url = share.start()

    async def main() -> list[int]:
        statuses = []
        async with aiohttp.ClientSession() as session:
            for host in (f"evil.example:{share.port}", f"localhost:{share.port}"):
                async with session.get(url, headers={"Host": host}) as response:
                    statuses.append(response.status)
        return statuses

    assert run(main()) == [404, 200]


def test_stop_closes_every_viewer_and_viewer_counts_follow(share: ShareServer) -> None:
    counts: list[int] = []
    share.viewers_changed.subscribe(counts.append)
    url = share.start()

    async def main() -> list[aiohttp.WSMessage]:
        async with aiohttp.ClientSession() as session:
            first = await session.ws_connect(url + "/ws")
            second = await session.ws_connect(url + "/ws")
            await next_json(first)
            await next_json(second)
            await wait_until(lambda: share.viewer_count == 2)
            await asyncio.to_thread(share.stop)  # as the UI would: from another thread than the clients
            closes = [await first.receive(timeout=10), await second.receive(timeout=10)]
            assert first.closed and second.closed
            return closes

    closes = run(main())
    for close in closes:
        assert close.type is aiohttp.WSMsgType.CLOSE
        assert (close.data, close.extra) == (4000, "Sharing stopped")
    assert counts == [1, 2, 0]
    assert share.viewer_count == 0
    assert share.url == "" and not share.running
    share.stop()  # idempotent


def test_a_viewer_leaving_updates_the_count(share: ShareServer) -> None:
    counts: list[int] = []
    share.viewers_changed.subscribe(counts.append)
    url = share.start()

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(url + "/ws") as ws:
                await next_json(ws)
                await wait_until(lambda: share.viewer_count == 1)
            await wait_until(lambda: share.viewer_count == 0)

    run(main())
    assert counts == [1, 0]


def test_restarting_serves_a_new_url_with_the_same_conversation(share: ShareServer) -> None:
    share.set_conversation("Chat", [("user", "kept")])
    first = share.start()
    share.stop()
    second = share.start()
    assert second != first and share.running

    async def main() -> dict[str, Any]:
        async with aiohttp.ClientSession() as session:
            async with session.get(first.replace(first.split(":")[2].split("/")[0], str(share.port))) as old:
                assert old.status == 404  # the old token is gone
            async with session.ws_connect(second + "/ws") as ws:
                return await next_json(ws)

    assert run(main())["messages"] == [{"role": "user", "html": "kept", "done": True}]


def test_what_viewers_send_is_ignored_and_a_huge_message_closes_only_that_viewer(share: ShareServer) -> None:
    url = share.start()

    async def main() -> None:
        async with aiohttp.ClientSession() as session:
            rude = await session.ws_connect(url + "/ws")
            polite = await session.ws_connect(url + "/ws")
            await next_json(rude)
            await next_json(polite)
            await polite.send_str('{"type": "message", "role": "user", "html": "<script>x</script>"}')
            await rude.send_str("x" * 100_000)
            close = await rude.receive(timeout=10)
            assert close.type is aiohttp.WSMsgType.CLOSE and close.data == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
            await rude.close()
            share.add_user("still here")
            assert (await next_json(polite))["html"] == "still here"
            await wait_until(lambda: share.viewer_count == 1)
            await polite.close()

    run(main())


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


def test_without_lan_only_loopback_is_bound(share: ShareServer) -> None:
    share.start()
    assert share.addresses == [("127.0.0.1", share.port)]
    # Another address of this machine (still loopback, so no traffic leaves it) is not served.
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.2", share.port), timeout=5),
    ):
        pass


def test_lan_sharing_binds_every_interface_when_asked() -> None:
    server = ShareServer("LAN", lan=True)
    url = server.start()
    try:
        assert server.addresses == [("0.0.0.0", server.port)]
        assert url == f"http://127.0.0.1:{server.port}{server.path}"
        other_address = f"http://127.0.0.2:{server.port}{server.path}"  # as another machine would ask

        async def main() -> list[int]:
            statuses = []
            async with aiohttp.ClientSession() as session:
                for address in (url, other_address):
                    async with session.get(address) as response:
                        statuses.append(response.status)
                async with session.ws_connect(
                    other_address + "/ws", origin=other_address.split("/s/")[0]
                ) as ws:
                    assert (await next_json(ws))["type"] == "snapshot"
            return statuses

        assert run(main()) == [200, 200]
    finally:
        server.stop()


def test_the_api_is_callable_from_any_thread_while_viewers_watch(share: ShareServer) -> None:
    url = share.start()

    def feed() -> None:
        share.begin_reply()
        for index in range(200):
            share.reply_delta(f"w{index} ")
        share.end_reply()

    async def main() -> str:
        async with aiohttp.ClientSession() as session, session.ws_connect(url + "/ws") as ws:
            await next_json(ws)
            thread = threading.Thread(target=feed)
            thread.start()
            final = (await until_reply_done(ws))[-1]["html"]
            thread.join()
            return str(final)

    final = run(main())
    assert final == "<p>" + "".join(f"w{i} " for i in range(200)) + "</p>"
