"""fetch_models against real local HTTP servers."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from desktop_app.core.copilot.byok.endpoint_models import fetch_models
from desktop_app.core.vocabulary.copilot_errors import EndpointError
from tests.model_server import MODEL, ModelServer

SECRET = "sk-very-secret-key-123"


@pytest.fixture(scope="module")
def shared_model_server() -> Iterator[ModelServer]:
    server = ModelServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def model_server(shared_model_server: ModelServer) -> Iterator[ModelServer]:
    models = list(shared_model_server.models)
    yield shared_model_server
    shared_model_server.models = models


class CannedServer(ThreadingHTTPServer):
    """Answers every GET with one canned status and body, and records the headers it got."""

    daemon_threads = True

    def __init__(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        super().__init__(("127.0.0.1", 0), _CannedHandler)
        self.status = status
        self.body = body
        self.content_type = content_type
        self.seen: list[dict[str, str]] = []
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(5)


class _CannedHandler(BaseHTTPRequestHandler):
    server: CannedServer  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        self.send_response(self.server.status)
        self.send_header("content-type", self.server.content_type)
        self.send_header("content-length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)


@pytest.fixture
def canned() -> Iterator[list[CannedServer]]:
    servers: list[CannedServer] = []
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


def start_canned(
    servers: list[CannedServer], status: int, body: Any, content_type: str = "application/json"
) -> CannedServer:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    server = CannedServer(status, raw, content_type)
    servers.append(server)
    return server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_lists_the_model_servers_models(model_server: ModelServer) -> None:
    models = asyncio.run(fetch_models(model_server.base_url, None))
    assert models == sorted([MODEL, "other-model"])


def test_trailing_slash_and_key_are_fine(model_server: ModelServer) -> None:
    model_server.models = ["b-model", "a-model", "b-model"]
    models = asyncio.run(fetch_models(model_server.base_url + "/", SECRET))
    assert models == ["a-model", "b-model"]  # sorted, duplicates removed


def test_sends_the_key_as_a_bearer_token(canned: list[CannedServer]) -> None:
    server = start_canned(canned, 200, {"data": [{"id": "m"}]})
    assert asyncio.run(fetch_models(server.base_url, SECRET)) == ["m"]
    assert server.seen[0]["path"] == "/v1/models"
    assert server.seen[0]["authorization"] == f"Bearer {SECRET}"


def test_sends_no_authorization_without_a_key(canned: list[CannedServer]) -> None:
    server = start_canned(canned, 200, {"data": []})
    assert asyncio.run(fetch_models(server.base_url, None)) == []
    assert asyncio.run(fetch_models(server.base_url, "")) == []
    assert all("authorization" not in seen for seen in server.seen)


def test_accepts_a_models_key_and_numeric_ids(canned: list[CannedServer]) -> None:
    server = start_canned(canned, 200, {"models": [{"id": "z"}, {"id": 7}]})
    assert asyncio.run(fetch_models(server.base_url, None)) == ["7", "z"]


def test_unreachable_port_is_an_endpoint_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(EndpointError) as info:
        asyncio.run(fetch_models(url, SECRET, timeout=2.0))
    message = str(info.value)
    assert message.startswith(f"Could not reach {url}/models")
    assert SECRET not in message


@pytest.mark.parametrize("status", [401, 403])
def test_refused_key_message_does_not_contain_the_key(canned: list[CannedServer], status: int) -> None:
    server = start_canned(canned, status, {"error": {"message": f"bad key {SECRET}"}})
    with pytest.raises(EndpointError) as info:
        asyncio.run(fetch_models(server.base_url, SECRET))
    message = str(info.value)
    assert SECRET not in message
    assert f"HTTP {status}" in message
    assert "refused the API key" in message
    assert f"(set, {len(SECRET)} chars)" in message
    assert info.value.__cause__ is None or SECRET not in str(info.value.__cause__)


def test_missing_key_refused_says_none(canned: list[CannedServer]) -> None:
    server = start_canned(canned, 401, {"error": "unauthorized"})
    with pytest.raises(EndpointError, match=r"refused the API key \(none\)"):
        asyncio.run(fetch_models(server.base_url, None))


def test_other_http_errors(canned: list[CannedServer]) -> None:
    server = start_canned(canned, 500, {"error": "boom"})
    with pytest.raises(EndpointError, match=r"/v1/models answered HTTP 500\.$"):
        asyncio.run(fetch_models(server.base_url, SECRET))


@pytest.mark.parametrize(
    "body",
    [
        b"<html>not json</html>",
        json.dumps([{"id": "m"}]).encode(),  # a list, not an object
        json.dumps({"data": [{"name": "no id"}]}).encode(),
        json.dumps({"data": "nope"}).encode(),
        json.dumps({"data": [None]}).encode(),
    ],
)
def test_not_a_model_list(canned: list[CannedServer], body: bytes) -> None:
    server = start_canned(canned, 200, body)
    with pytest.raises(EndpointError, match="did not return an OpenAI-style model list"):
        asyncio.run(fetch_models(server.base_url, None))
