"""Probe (for #15): the pinned CLI signed in with a token, against a scripted GitHub on 127.0.0.1.

Run: ``.venv/bin/python -m tests.tools.probe_scripted_github``. Nothing leaves the machine: the CLI's
``HTTPS_PROXY`` is a loopback CONNECT proxy that hands every tunnel to a local aiohttp server whose
certificate (for api.github.com, api.githubcopilot.com, ...) is signed by a throw-away ``trustme`` CA
the CLI trusts through ``NODE_EXTRA_CA_CERTS``. Every request is printed.

What @github/copilot 1.0.102 with github-copilot-sdk 1.0.25 did (2026-12-02):
- ``CopilotClient(github_token=...)``: ``get_auth_status()`` is authenticated ("via token") after one
  ``GET api.github.com/copilot_internal/user`` (Bearer: the token itself; no token exchange). Without
  ``endpoints.api`` in that answer, ``list_models()`` returns nothing; ``copilot_plan: individual``
  reads as plan tier "pro".
- ``list_models()``: ``GET api.githubcopilot.com/models`` (Bearer: the same token; headers
  ``copilot-integration-id: copilot-sdk``, ``x-github-api-version: 2026-08-01``). The SDK needs
  ``policy.terms`` on each model. ``billing.multiplier`` and ``capabilities.supports.reasoning_effort``
  come back as ``ModelInfo.billing`` and ``supported_reasoning_efforts``; the CLI adds "auto" itself.
- A session asks ``/copilot_internal/team_customizations`` and the GitHub MCP server
  (``POST api.githubcopilot.com/mcp/readonly``), then ``POST /chat/completions`` streamed as OpenAI
  SSE: the reply arrives as ``assistant.message_delta`` ... ``assistant.usage``, ``assistant.idle``.
- ``session.rpc.quota.get()`` answers from the user info (plan tier, upgrade URL; no snapshots unless
  the user info has quota fields).
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import tempfile
from pathlib import Path
from typing import Any

import trustme
from aiohttp import web

from desktop_app.core.copilot.byok import openai_sse as sse
from desktop_app.core.copilot.cli_discovery import find_cli

HOSTS = ("api.github.com", "github.com", "api.githubcopilot.com", "telemetry.githubcopilot.com")


def model(model_id: str, multiplier: float, efforts: list[str] | None = None) -> dict[str, Any]:
    supports: dict[str, Any] = {"streaming": True, "tool_calls": True, "vision": True}
    if efforts:
        supports["reasoning_effort"] = efforts
    return {
        "id": model_id, "name": model_id, "object": "model", "vendor": "scripted", "version": model_id,
        "preview": False, "model_picker_enabled": True,
        "capabilities": {
            "family": model_id, "type": "chat", "tokenizer": "o200k_base", "supports": supports,
            "limits": {
                "max_context_window_tokens": 128000, "max_output_tokens": 16000, "max_prompt_tokens": 100000,
            },
        },
        "billing": {"is_premium": multiplier > 0, "multiplier": multiplier},
        "policy": {"state": "enabled", "terms": "Enable access"},
        "supported_endpoints": ["/chat/completions"],
    }  # fmt: skip


async def answer(request: web.Request) -> web.StreamResponse:
    body = await request.read()
    print("REQ", request.method, request.headers.get("Host"), request.path_qs, body[:120], flush=True)
    if request.path == "/copilot_internal/user":
        user = {"login": "octocat", "copilot_plan": "individual", "chat_enabled": True}
        return web.json_response({**user, "endpoints": {"api": "https://api.githubcopilot.com"}})
    if request.path == "/models":
        return web.json_response(
            {"data": [model("gpt-5-mini", 0, ["low", "medium", "high"]), model("sonnet", 1)]}
        )
    if request.path == "/chat/completions":
        name = json.loads(body or b"{}").get("model", "gpt-5-mini")
        response = web.StreamResponse(headers={"content-type": "text/event-stream"})
        await response.prepare(request)
        for chunk in (sse.role_chunk(name), sse.text_chunk(name, "Hello from scripted Copilot."),
                      sse.finish_chunk(name), sse.usage_chunk(name, 10, 3), sse.DONE):  # fmt: skip
            await response.write(chunk)
        return response
    return web.json_response({"message": "Not Found (scripted)"}, status=404)


async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    except OSError:
        pass
    finally:
        sink.close()


async def tunnel(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, tls_port: int) -> None:
    print("CONNECT", (await reader.readline()).decode().strip(), flush=True)
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", tls_port)
    writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
    await writer.drain()
    await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


async def main() -> None:
    from copilot import CopilotClient, RuntimeConnection
    from copilot.session import PermissionHandler

    ca, folder = trustme.CA(), Path(tempfile.mkdtemp())
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*HOSTS).configure_cert(context)
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    tls_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    proxy = await asyncio.start_server(lambda r, w: tunnel(r, w, tls_port), "127.0.0.1", 0)
    proxy_url = f"http://127.0.0.1:{proxy.sockets[0].getsockname()[1]}"
    (folder / "home").mkdir()
    connection = RuntimeConnection.for_stdio(path=str(find_cli().path))
    connection.env = {
        **os.environ, "HOME": str(folder / "home"), "HTTPS_PROXY": proxy_url, "https_proxy": proxy_url,
        "NODE_EXTRA_CA_CERTS": str(folder / "ca.pem"),
    }  # fmt: skip
    client = CopilotClient(
        connection=connection, base_directory=str(folder / "copilot"), github_token="gho_probe"
    )
    try:
        await client.start()
        print("AUTH", await client.get_auth_status())
        for info in await client.list_models():
            print("MODEL", info.id, info.billing, info.supported_reasoning_efforts)
        idle = asyncio.Event()
        session = await client.create_session(
            model="gpt-5-mini", streaming=True, available_tools=[],
            on_permission_request=PermissionHandler.approve_all,
            on_event=lambda e: (print("EVENT", e.type.value), e.type.value == "session.idle" and idle.set()),
        )  # fmt: skip
        await session.send("hi")
        await asyncio.wait_for(idle.wait(), 60)
        print("QUOTA", await session.rpc.quota.get())
        await session.disconnect()
    finally:
        await client.stop()
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
