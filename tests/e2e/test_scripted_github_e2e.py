"""The scripted GitHub itself, through the real SDK and the real CLI (the app's ``CopilotService``, no
window): what the CLI asks of GitHub and what it makes of the answers, as other tests rely on it.

Each CLI test ends with ``nothing_left`` (the proxy refused nothing: the CLI asked for no host that is
not scripted, so nothing tried to leave the machine).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from desktop_app.core.config.paths import AppPaths
from desktop_app.core.copilot.account.stored_sign_in import split_header
from desktop_app.core.copilot.service import CopilotService
from tests.conftest import wait_until
from tests.scripted_github import BrowseRefusedError, ScriptedGitHub
from tests.scripted_github.qt_browser import ScriptedBrowser

pytestmark = pytest.mark.asyncio

CALLBACK_OK = "Authorization received"  # the CLI's loopback page when GitHub's redirect carried a code
CALLBACK_FAILED = "Sign in failed"


@contextlib.asynccontextmanager
async def copilot(data_dir: Path) -> AsyncIterator[CopilotService]:
    """The app's Copilot service on ``data_dir`` (``--data-dir``), started, stopped afterwards."""
    paths = AppPaths.under(data_dir)
    paths.ensure()
    service = CopilotService(paths)
    await service.start()
    try:
        yield service
    finally:
        await service.stop()


def wire() -> Any:
    from copilot.generated import rpc

    return rpc


async def begin(service: CopilotService) -> Any:
    api = await service.accounts.rpc()
    request = wire().AuthLoginBeginRequest(kind=wire().LoginProviderKind.GITHUB_DOT_COM)
    return await service.call(api.accounts.login.begin(request))


async def advance(service: CopilotService, flow_id: str, answer: str | None = None) -> Any:
    api = await service.accounts.rpc()
    request = wire().AuthLoginAdvanceRequest(flow_id=flow_id, input=answer)
    return await service.call(api.accounts.login.advance(request))


async def sign_in(service: CopilotService, github: ScriptedGitHub, login: str) -> Any:
    """The whole browser flow as ``login``: the page approved, the sign-in saved (allowed)."""
    github.approve_as(login)
    begun = await begin(service)
    visit = await github.browse_async(begun.step.url)
    assert visit.status == 200 and CALLBACK_OK in visit.text
    step = await advance(service, begun.flow_id)
    assert step.result.status.value == "needs-plaintext-consent"  # no keychain in tests
    return await advance(service, begun.flow_id, "allow")


async def enumerate_accounts(service: CopilotService) -> list[Any]:
    api = await service.accounts.rpc()
    query = wire().AuthEnumerateQuery(kind=wire().AuthEnumerateQueryKind.ACCOUNTS)
    listed = await service.call(api.accounts.enumerate(wire().AccountsEnumerateRequest(query=query)))
    return list(listed.items)


async def write_account(service: CopilotService, kind: str, selection_id: str) -> Any:
    api = await service.accounts.rpc()
    command = wire().AuthWrite(kind=wire().AuthWriteKind[kind], selection_id=selection_id)
    return await service.call(api.accounts.set(wire().AccountsSetRequest(command=command)))


@contextlib.asynccontextmanager
async def chat(service: CopilotService, model: str, effort: str | None = None) -> AsyncIterator[Any]:
    """A bare session (no tools) whose events collect in ``session.events``; deleted afterwards."""
    from copilot.session import PermissionHandler

    events: list[Any] = []
    options: dict[str, Any] = {"reasoning_effort": effort} if effort else {}
    session = await service.call(
        service.client.create_session(
            model=model, streaming=True, available_tools=[], on_event=events.append,
            on_permission_request=PermissionHandler.approve_all, **options,
        )
    )  # fmt: skip
    session.events = events
    try:
        yield session
    finally:
        await service.call(session.disconnect())
        await service.call(service.client.delete_session(str(session.session_id)))


async def ask(service: CopilotService, session: Any, prompt: str) -> list[Any]:
    """Send ``prompt`` and wait for ``session.idle``; the events of this turn."""
    start = len(session.events)
    await service.call(session.send(prompt))
    await wait_until(lambda: any(e.type.value == "session.idle" for e in session.events[start:]), 60)
    return session.events[start:]


def of_type(events: list[Any], kind: str) -> list[Any]:
    return [e.data for e in events if e.type.value == kind]


def stored_config(data_dir: Path) -> dict[str, Any]:
    home = AppPaths.under(data_dir).copilot_home
    assert home is not None
    config = json.loads(split_header((home / "config.json").read_text(encoding="utf-8"))[1])
    assert isinstance(config, dict)
    return config


def user_cache(data_dir: Path) -> Path:
    """Where the CLI keeps ``copilot_internal/user`` answers between runs (``$XDG_CACHE_HOME``)."""
    cli_home = AppPaths.under(data_dir).cli_home
    assert cli_home is not None
    return cli_home / ".cache" / "copilot" / "copilot-user-cache.json"


def nothing_left(github: ScriptedGitHub) -> None:
    assert github.refused == []


# -- a signed-in start, without the browser ------------------------------------------------------------
async def test_a_token_in_the_environment_starts_signed_in(
    signed_in_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    async with copilot(github_data_dir) as service:
        status = await service.auth_status()
        assert (status.authenticated, status.login) == (True, "octocat")
        assert status.message == "octocat (via COPILOT_GITHUB_TOKEN)"
        state = await service.accounts.refresh()
        assert state.account is not None and state.account.login == "octocat"
        assert state.plan == "Pro"  # copilot_plan "individual"
        (listed,) = await enumerate_accounts(service)
        assert listed.auth_source == "COPILOT_GITHUB_TOKEN"
    assert {r.login for r in signed_in_github.requests_to("api.github.com")} == {"octocat"}
    nothing_left(signed_in_github)


# -- (1) sign-in through the browser -----------------------------------------------------------------------
async def test_oauth_sign_in_through_the_browser_completes(
    scripted_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    async with copilot(github_data_dir) as service:
        assert not (await service.auth_status()).authenticated
        begun = await begin(service)
        assert begun.step.kind.value == "open-url"
        page = urllib.parse.urlsplit(begun.step.url)
        query = urllib.parse.parse_qs(page.query)
        assert (page.scheme, page.hostname, page.path) == ("https", "github.com", "/login/oauth/authorize")
        assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
        assert query["code_challenge_method"] == ["S256"]
        visit = await scripted_github.browse_async(begun.step.url)  # before advance: the CLI listens
        assert (visit.status, CALLBACK_OK in visit.text) == (200, True)
        assert visit.callback is not None and "code=" in visit.callback
        step = await advance(service, begun.flow_id)
        assert (step.kind.value, step.result.status.value) == ("completed", "needs-plaintext-consent")
        step = await advance(service, begun.flow_id, "allow")
        assert (step.result.status.value, step.result.login) == ("completed", "octocat")
        status = await service.auth_status()
        assert (status.authenticated, status.login) == (True, "octocat")
    (exchange,) = scripted_github.requests_to("github.com", "/login/oauth/access_token")
    assert exchange.login == "octocat" and exchange.status == 200  # the PKCE verifier matched
    assert "client_secret" not in exchange.body and "code_verifier" not in exchange.body
    stored = stored_config(github_data_dir)
    assert "https://github.com:octocat" in stored["authTokens"]  # the CLI's own, consented to
    nothing_left(scripted_github)


async def test_a_code_github_does_not_take_fails_the_sign_in(
    scripted_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    async with copilot(github_data_dir) as service:
        begun = await begin(service)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(begun.step.url).query)
        pending = asyncio.ensure_future(advance(service, begun.flow_id))
        async with aiohttp.ClientSession() as http:
            params = {"code": "not-a-code", "state": query["state"][0]}
            async with http.get(query["redirect_uri"][0], params=params) as page:
                assert page.status == 200  # the CLI thanks the browser, then exchanges the code
        with pytest.raises(Exception, match="The code passed is incorrect or expired"):
            await pending
    nothing_left(scripted_github)


# -- (2) the models -----------------------------------------------------------------------------------------
async def test_models_come_with_multipliers_efforts_and_policies(
    signed_in_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    async with copilot(github_data_dir) as service:
        models = {m.id: m for m in await service.call(service.client.list_models())}
    # "auto" is the CLI's own (listed first); gemini-2.5-pro ("disabled") is left out; the CLI orders
    # the rest itself
    assert next(iter(models)) == "auto"
    multipliers = {k: m.billing.multiplier for k, m in models.items() if m.billing is not None}
    assert multipliers == {
        "gpt-5-mini": 0, "claude-sonnet-4.5": 1, "claude-opus-4.5": 3, "o3-mini": 0.33,
        "claude-haiku-4.5": 0.33,
    }  # fmt: skip
    assert models["gpt-5-mini"].supported_reasoning_efforts == ["low", "medium", "high"]
    assert models["claude-sonnet-4.5"].supported_reasoning_efforts is None
    assert models["claude-opus-4.5"].capabilities.limits.max_context_window_tokens == 160_000
    assert models["claude-haiku-4.5"].policy.state == "unconfigured"
    assert models["auto"].billing is None and models["auto"].policy is None
    nothing_left(signed_in_github)


# -- (3) a streamed reply -----------------------------------------------------------------------------------
async def test_a_reply_streams_with_the_scripted_text_and_the_effort_asked(
    signed_in_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    async with copilot(github_data_dir) as service, chat(service, "gpt-5-mini", "high") as session:
        events = await ask(service, session, "ping")
    expected = "Hello from scripted Copilot. Model gpt-5-mini, effort high, you said: ping"
    deltas = of_type(events, "assistant.message_delta")
    assert len(deltas) > 1 and "".join(d.delta_content for d in deltas) == expected
    assert [m.content for m in of_type(events, "assistant.message")] == [expected]
    assert [u.model for u in of_type(events, "assistant.usage")] == ["gpt-5-mini"]
    (request,) = signed_in_github.chat_requests()
    assert request.body["reasoning_effort"] == "high"  # top level, as OpenAI's chat completions
    assert request.headers["x-initiator"] == "user" and request.body["stream"] is True
    assert signed_in_github.account().premium_used == 0  # a 0x model costs nothing
    nothing_left(signed_in_github)


async def test_auto_asks_github_which_model_and_uses_it(
    signed_in_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    async with copilot(github_data_dir) as service, chat(service, "auto") as session:
        events = await ask(service, session, "pick one")
    assert "Model claude-sonnet-4.5" in of_type(events, "assistant.message")[0].content
    (picked,) = signed_in_github.requests_to("api.githubcopilot.com", "/models/session")
    assert picked.body == {"auto_mode": {"model_hints": ["auto"]}}
    (request,) = signed_in_github.chat_requests()
    assert request.headers["copilot-session-token"] == "scripted-auto-octocat"
    nothing_left(signed_in_github)


# -- (4) and (5) premium requests and the quota -----------------------------------------------------------
async def test_a_premium_reply_is_counted_in_the_quota(
    signed_in_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    rpc = wire()
    async with copilot(github_data_dir) as service:
        async with chat(service, "claude-opus-4.5", "low") as session:
            await ask(service, session, "expensive")
            metrics = await service.call(session.rpc.usage.get_metrics())
            quota = await service.call(session.rpc.quota.get())
        account_quota = await service.call(service.client.rpc.account.get_quota(rpc.AccountGetQuotaRequest()))
    assert signed_in_github.account().premium_used == 3
    assert metrics.total_premium_request_cost == 3.0
    assert metrics.model_metrics["claude-opus-4.5"].requests.count == 1
    session_premium = quota.snapshots["premium_interactions"]  # updated from the reply's quota header
    assert (session_premium.used_requests, session_premium.remaining_percentage) == (3.0, 99.0)
    assert session_premium.reset_date_epoch_ms is not None  # from the snapshot's quota_reset_at
    # The server-level answer is the user info the CLI read at its start: not this reply; and it
    # keeps that on disk (a cache keyed by the token), so a new CLI process says the same.
    assert account_quota.quota_snapshots["premium_interactions"].used_requests == 0
    async with copilot(github_data_dir) as service:
        cached = await service.call(service.client.rpc.account.get_quota(rpc.AccountGetQuotaRequest()))
    assert cached.quota_snapshots["premium_interactions"].used_requests == 0
    assert (
        len(signed_in_github.requests_to("api.github.com", "/copilot_internal/user")) == 2
    )  # start, session
    user_cache(github_data_dir).unlink()  # "safe to delete", its header says
    async with copilot(github_data_dir) as service:
        fresh = await service.call(service.client.rpc.account.get_quota(rpc.AccountGetQuotaRequest()))
    premium = fresh.quota_snapshots["premium_interactions"]
    assert (premium.entitlement_requests, premium.used_requests, premium.remaining_percentage) == (
        300,
        3,
        99.0,
    )
    nothing_left(signed_in_github)


async def test_a_used_up_quota_refuses_premium_models_only(
    signed_in_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    signed_in_github.update("octocat", premium_used=300)
    async with copilot(github_data_dir) as service:
        async with chat(service, "claude-sonnet-4.5") as session:
            events = await ask(service, session, "one more")
        async with chat(service, "gpt-5-mini") as session:
            free = await ask(service, session, "a free one")
    (error,) = of_type(events, "session.error")
    assert (error.error_type, error.error_code, error.status_code) == ("quota", "quota_exceeded", 402)
    assert error.message == "You have exceeded your premium request allowance."
    assert of_type(free, "assistant.message")  # a 0x model still answers
    assert [r.status for r in signed_in_github.chat_requests()] == [402, 200]
    assert signed_in_github.account().premium_used == 300
    nothing_left(signed_in_github)


# -- (6) two accounts ---------------------------------------------------------------------------------------
@pytest.mark.timeout(240)
async def test_two_accounts_signed_in_switched_and_signed_out(
    scripted_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    scripted_github.add_account("hubot", plan="business")
    async with copilot(github_data_dir) as service:
        await sign_in(service, scripted_github, "octocat")
        step = await sign_in(service, scripted_github, "hubot")
        assert step.result.login == "hubot"
        listed = await enumerate_accounts(service)
        assert [(a.login, a.active) for a in listed] == [("hubot", True), ("octocat", False)]
        assert {a.host for a in listed} == {"https://github.com"}
        octocat = next(a for a in listed if a.login == "octocat")
        switched = await write_account(service, "SWITCH_ACTIVE", octocat.selection_id)
        assert (switched.ok, switched.more_users) == (True, None)
        listed = await enumerate_accounts(service)
        assert [(a.login, a.active) for a in listed] == [("hubot", False), ("octocat", True)]
        # No keychain: the CLI's own LOGOUT fails before it forgets the stored sign-in ...
        with pytest.raises(Exception, match="No default store has been set"):
            await write_account(service, "LOGOUT", octocat.selection_id)
        assert [a.login for a in await enumerate_accounts(service)] == ["hubot", "octocat"]
        # ... and the app's sign-out removes it from the config file with the CLI stopped.
        before = await service.accounts.refresh()
        assert before.account is not None and before.account.login == "octocat"
        state = await service.accounts.sign_out()
        assert state.account is not None and state.account.login == "hubot"
        assert [(a.login, a.active) for a in await enumerate_accounts(service)] == [("hubot", True)]
    stored = stored_config(github_data_dir)
    assert [u["login"] for u in stored["loggedInUsers"]] == ["hubot"]
    assert all(":octocat" not in key for key in stored["authTokens"])
    nothing_left(scripted_github)


# -- (7) denied in the browser, and cancelled ------------------------------------------------------------
async def test_denied_on_github_fails_the_sign_in_at_once(
    scripted_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    scripted_github.deny_next()
    async with copilot(github_data_dir) as service:
        begun = await begin(service)
        pending = asyncio.ensure_future(advance(service, begun.flow_id))
        visit = await scripted_github.browse_async(begun.step.url)
        assert visit.callback is not None and "error=access_denied" in visit.callback
        assert (visit.status, CALLBACK_FAILED in visit.text) == (400, True)
        with pytest.raises(Exception, match="The user has denied your application access"):
            await pending
        assert not (await service.auth_status()).authenticated
    assert scripted_github.requests_to("github.com", "/login/oauth/access_token") == []
    nothing_left(scripted_github)


async def test_a_redirect_the_cli_does_not_trust_keeps_it_waiting_until_cancelled(
    scripted_github: ScriptedGitHub, github_data_dir: Path
) -> None:
    """A denial without the flow's ``state`` (or any wrong state) is not GitHub's answer to this
    flow: the CLI's page says 400 and advance waits on; cancel ends it ("Login cancelled")."""
    async with copilot(github_data_dir) as service:
        begun = await begin(service)
        redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(begun.step.url).query)["redirect_uri"][0]
        pending = asyncio.ensure_future(advance(service, begun.flow_id))
        async with aiohttp.ClientSession() as http:
            for params in ({"error": "access_denied"}, {"code": "x", "state": "not-this-flow"}):
                async with http.get(redirect, params=params) as page:
                    assert page.status == 400
        await asyncio.sleep(0.5)  # not a timing assertion: only a chance for a wrong answer to arrive
        assert not pending.done()
        api = await service.accounts.rpc()
        cancelled = await service.call(
            api.accounts.login.cancel(wire().AuthLoginCancelRequest(flow_id=begun.flow_id))
        )
        assert cancelled is None
        with pytest.raises(Exception, match="Login cancelled"):
            await pending
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.ClientConnectionError):  # the loopback port is closed
                await http.get(redirect, params={"code": "x"})
    nothing_left(scripted_github)


# -- the infrastructure's own limits (no CLI) ---------------------------------------------------------
async def test_the_proxy_refuses_every_other_host_and_the_browser_stays_home(
    scripted_github: ScriptedGitHub,
) -> None:
    assert scripted_github.proxy is not None
    for request in (b"CONNECT example.com:443 HTTP/1.1\r\n\r\n", b"CONNECT github.com:22 HTTP/1.1\r\n\r\n",
                    b"GET http://github.com/ HTTP/1.1\r\n\r\n"):  # fmt: skip
        reader, writer = await asyncio.open_connection("127.0.0.1", scripted_github.proxy.port)
        writer.write(request)
        answer = await reader.read()  # the proxy closes after its answer
        writer.close()
        assert answer.startswith(b"HTTP/1.1 403")
    assert len(scripted_github.refused) == 3 and scripted_github.proxy.tunnelled == []
    with pytest.raises(BrowseRefusedError):
        await scripted_github.browse_async("https://example.com/login")
    visit = await scripted_github.browse_async("https://github.com/nothing-here")
    assert visit.status == 404 and visit.callback is None


async def test_the_qt_browser_takes_what_the_app_opens(
    scripted_github: ScriptedGitHub, scripted_browser: ScriptedBrowser, github_data_dir: Path
) -> None:
    """``QDesktopServices.openUrl`` (how the app opens GitHub's page) reaches the scripted browser,
    which signs in; any other https URL is only recorded."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    async with copilot(github_data_dir) as service:
        begun = await begin(service)
        assert QDesktopServices.openUrl(QUrl(begun.step.url))
        assert QDesktopServices.openUrl(QUrl("https://docs.github.com/copilot"))
        await wait_until(lambda: len(scripted_browser.visits) == 1, 30)
        step = await advance(service, begun.flow_id)
        assert step.result.status.value == "needs-plaintext-consent"
        await service.call(
            (await service.accounts.rpc()).accounts.login.cancel(
                wire().AuthLoginCancelRequest(flow_id=begun.flow_id)
            )
        )  # declined nothing, saved nothing: the next test starts signed out anyway
    assert scripted_browser.opened == [begun.step.url, "https://docs.github.com/copilot"]
    assert CALLBACK_OK in scripted_browser.visits[0].text and scripted_browser.errors == []
    nothing_left(scripted_github)
