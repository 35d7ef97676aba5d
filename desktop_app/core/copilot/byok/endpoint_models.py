"""Ask an OpenAI-compatible endpoint which models it serves (``GET {base_url}/models``)."""

from __future__ import annotations

import asyncio

from desktop_app.core.config.credentials import redact
from desktop_app.core.platform import background_import
from desktop_app.core.vocabulary.copilot_errors import EndpointError


async def fetch_models(base_url: str, api_key: str | None, timeout: float = 5.0) -> list[str]:
    # ~0.2 s to import: only when an endpoint is asked, and on a worker thread (a reply may stream)
    httpx = await background_import.import_module("httpx")

    url = base_url.rstrip("/") + "/models"
    headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        # Made on a worker thread too: its TLS context loads the CA bundle (0.1-0.3 s).
        async with await asyncio.to_thread(httpx.AsyncClient, timeout=timeout) as client:
            response = await client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        raise EndpointError(f"Could not reach {url}: {type(exc).__name__}") from exc
    if response.status_code in (401, 403):
        raise EndpointError(f"{url} refused the API key {redact(api_key)} (HTTP {response.status_code}).")
    if response.status_code != 200:
        raise EndpointError(f"{url} answered HTTP {response.status_code}.")
    try:
        data = response.json()
        ids = [str(item["id"]) for item in data.get("data", data.get("models", []))]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EndpointError(f"{url} did not return an OpenAI-style model list.") from exc
    return sorted(set(ids))
