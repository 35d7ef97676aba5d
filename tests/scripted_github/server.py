"""``ScriptedGitHub``: github.com, api.github.com and api.githubcopilot.com on 127.0.0.1, for the CLI.

It runs its own asyncio loop in a daemon thread (as ``tests.model_server`` runs a thread), so it
answers whatever loop the test or the app runs. ``env()`` is what the CLI's environment needs to reach
it and nothing else; the state (accounts, the browser's next answer, the request log) is read and
changed from the test's thread under one lock.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import json
import shutil
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.scripted_github import copilot_api, github_api
from tests.scripted_github.accounts import GitHubState, LoggedRequest, ScriptedAccount
from tests.scripted_github.browser import BrowserVisit, visit
from tests.scripted_github.ca import ScriptedCA
from tests.scripted_github.copilot_api import CATALOGUE, ChatCall, ScriptedModel
from tests.scripted_github.proxy import ConnectProxy

NO_PROXY = "127.0.0.1,localhost"
TELEMETRY_HOSTS = ("telemetry.githubcopilot.com", "copilot-telemetry.githubusercontent.com")
HIDDEN_HEADERS = ("authorization", "cookie")


class ScriptedGitHub:
    """Start with ``ScriptedGitHub.start()``, hand ``env()`` to the CLI, ``stop()`` when done."""

    def __init__(self, accounts: Iterable[ScriptedAccount] = ()) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="scripted-github-"))
        self.ca = ScriptedCA(self.folder)
        self.state = GitHubState()
        self.models: list[ScriptedModel] = list(CATALOGUE)  # replace the list to change the catalogue
        self.reply: Callable[[ChatCall], str] = copilot_api.default_reply
        self.auto_model: str | None = "claude-sonnet-4.5"  # what "Auto" picks (None: no answer)
        # True: the CLI's built-in GitHub MCP server connects (no tools); False: 404, reported failed
        self.github_mcp = False
        for account in accounts:
            self.state.add(account)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="scripted-github", daemon=True)
        self._runner: web.AppRunner | None = None
        self.proxy: ConnectProxy | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    @classmethod
    def start(cls, accounts: Iterable[ScriptedAccount] | None = None) -> ScriptedGitHub:
        """Serving on 127.0.0.1; with no ``accounts``, one: "octocat" on Copilot Pro."""
        github = cls(accounts if accounts is not None else [ScriptedAccount("octocat")])
        github._thread.start()
        asyncio.run_coroutine_threadsafe(github._serve(), github._loop).result(30)
        return github

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._answer)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self.ca.server_context())
        await site.start()
        tls_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.proxy = ConnectProxy(self.ca.hosts, tls_port)
        await self.proxy.start()

    def stop(self) -> None:
        async def close() -> None:
            if self.proxy is not None:
                await self.proxy.close()
            if self._runner is not None:
                await self._runner.cleanup()

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def env(self) -> dict[str, str]:
        """The CLI's environment: every https request through the proxy, which tunnels only to here;
        plain http ones too (the proxy refuses them); loopback direct; the CA trusted."""
        assert self.proxy is not None, "start() first"
        url = self.proxy.url
        return {
            "HTTPS_PROXY": url, "https_proxy": url, "HTTP_PROXY": url, "http_proxy": url,
            "NO_PROXY": NO_PROXY, "no_proxy": NO_PROXY, "NODE_EXTRA_CA_CERTS": str(self.ca.ca_file),
        }  # fmt: skip

    # -- the state tests set ---------------------------------------------------------------------
    @property
    def lock(self) -> threading.RLock:
        """Hold it to change an account's fields while the CLI may be asking."""
        return self.state.lock

    def add_account(self, login: str, **fields: Any) -> ScriptedAccount:
        """A new account (``ScriptedAccount`` fields: plan, premium_entitlement, premium_used, ...)."""
        return self.state.add(ScriptedAccount(login, **fields))

    def account(self, login: str = "octocat") -> ScriptedAccount:
        with self.lock:
            return self.state.accounts[login]

    def update(self, login: str, **changes: Any) -> ScriptedAccount:
        """Change an account's fields at once (``premium_used=300`` uses its quota up)."""
        with self.lock:
            account = self.state.accounts[login]
            for name, value in changes.items():
                if name not in {f.name for f in dataclasses.fields(account)}:
                    raise AttributeError(name)
                setattr(account, name, value)
            return account

    def approve_as(self, login: str) -> None:
        """The browser's approvals sign in as ``login`` from now on (default: the first account)."""
        with self.lock:
            if login not in self.state.accounts:
                raise KeyError(login)
            self.state.approve_login = login

    def deny_next(self, times: int = 1) -> None:
        """The next authorize page(s) redirect with ``error=access_denied``, as Cancel on GitHub does."""
        with self.lock:
            self.state.deny_count += times

    # -- what was asked --------------------------------------------------------------------------
    @property
    def requests(self) -> list[LoggedRequest]:
        with self.lock:
            return list(self.state.log)

    def requests_to(self, host: str, path: str | None = None) -> list[LoggedRequest]:
        return [r for r in self.requests if r.host == host and (path is None or r.path == path)]

    def chat_requests(self) -> list[LoggedRequest]:
        """Every ``POST /chat/completions`` (``body`` is its JSON: model, messages, reasoning_effort)."""
        return [r for r in self.requests_to("api.githubcopilot.com", "/chat/completions")]

    @property
    def refused(self) -> list[str]:
        """What the proxy refused to tunnel (hosts not served here): it should stay empty."""
        return self.proxy.refused if self.proxy is not None else []

    # -- the browser -----------------------------------------------------------------------------
    def browse_soon(self, url: str) -> concurrent.futures.Future[BrowserVisit]:
        """Open ``url`` as the user's browser would, on the server's loop; the future has the visit."""
        assert self.proxy is not None, "start() first"
        return asyncio.run_coroutine_threadsafe(
            visit(url, self.ca.hosts, self.proxy.url, self.ca.client_context()), self._loop
        )

    def browse(self, url: str, timeout: float = 60) -> BrowserVisit:
        """``browse_soon`` and wait (from a thread that is not running the CLI's answers)."""
        return self.browse_soon(url).result(timeout)

    async def browse_async(self, url: str) -> BrowserVisit:
        """``browse_soon`` awaited from any asyncio loop (a test's, the app's)."""
        return await asyncio.wrap_future(self.browse_soon(url))

    def serves(self, url: str) -> bool:
        """An https URL on a host answered here (what the scripted browser will open)."""
        parsed = urllib.parse.urlsplit(url)
        return parsed.scheme == "https" and (parsed.hostname or "") in self.ca.hosts

    # -- the server ------------------------------------------------------------------------------
    async def _answer(self, request: web.Request) -> web.StreamResponse:
        host = (request.host or "").rsplit(":", 1)[0].lower()
        raw = await request.read()
        try:
            answer = await self._route(host, request, raw)
        except Exception as exc:  # a bug here must show in the test, not as a hang in the CLI
            answer = github_api.Answer(
                web.json_response({"message": f"scripted GitHub: {exc!r}"}, status=500)
            )
        body = answer.body
        if body is None and raw and request.content_type == "application/json":
            body = _json_or_none(raw)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HIDDEN_HEADERS}
        self.state.record(
            LoggedRequest(
                request.method, host, request.path, request.query_string, answer.login,
                answer.response.status, headers, body,
            )
        )  # fmt: skip
        return answer.response

    async def _route(self, host: str, request: web.Request, raw: bytes) -> github_api.Answer:
        if host in TELEMETRY_HOSTS:
            return github_api.Answer(web.Response(status=204))
        if host == "github.com":
            if request.method == "GET" and request.path == "/login/oauth/authorize":
                return github_api.authorize(request, self.state)
            if request.method == "POST" and request.path == "/login/oauth/access_token":
                return await github_api.access_token(request, self.state)
            return github_api.not_found()
        if host == "api.github.com":
            return github_api.api_github_com(request, self.state)
        if host == "api.githubcopilot.com":
            return await self._copilot(request, raw)
        return github_api.not_found()

    async def _copilot(self, request: web.Request, raw: bytes) -> github_api.Answer:
        account = self.state.by_token(request.headers.get("Authorization"))
        if account is None:
            return github_api.Answer(web.json_response(copilot_api.UNAUTHORIZED, status=401))
        if request.method == "GET" and request.path in ("/models", "/v1/models"):
            return copilot_api.catalogue_answer(account, list(self.models))
        if request.method == "POST" and request.path == "/models/session":
            return copilot_api.auto_session(account, self.auto_model, list(self.models))
        if request.method == "POST" and request.path == "/mcp/readonly" and self.github_mcp:
            return copilot_api.github_mcp(account, _json_or_none(raw))
        if request.method == "POST" and request.path in ("/chat/completions", "/v1/chat/completions"):
            body = _json_or_none(raw)
            if not isinstance(body, dict):
                return github_api.Answer(web.json_response({"error": {"message": "bad JSON"}}, status=400))
            return await copilot_api.chat_completions(
                request, body, account, self.state, list(self.models), self.reply
            )
        return github_api.not_found(account.login)


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None
