"""What viewers of the live share see: the snapshot, streamed replies, messages, notices and titles."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import aiohttp
import pytest

from desktop_app.core.share import ShareServer
from tests.share.viewer_client import next_json, run, until_reply_done


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
