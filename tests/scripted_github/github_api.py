"""github.com (the OAuth pages) and api.github.com (the user, their Copilot plan and quota), scripted.

Answers are shaped like GitHub's, as far as the CLI reads them: an authorize page that redirects at
once (the user "approved" or "denied"), the code exchange with PKCE, and ``copilot_internal/user``
built from a ``ScriptedAccount``'s state at the moment it is asked.
"""

from __future__ import annotations

import datetime
import urllib.parse
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.scripted_github.accounts import GitHubState, IssuedCode, ScriptedAccount, next_reset, pkce_matches

COPILOT_API = "https://api.githubcopilot.com"
BAD_CODE = {
    "error": "bad_verification_code",
    "error_description": "The code passed is incorrect or expired.",
    "error_uri": "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code",
}
DENIED_DESCRIPTION = "The user has denied your application access."
BAD_CREDENTIALS = {
    "message": "Bad credentials",
    "documentation_url": "https://docs.github.com/rest",
    "status": "401",
}
NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}


@dataclass(frozen=True)
class Answer:
    """A handler's response, with whose token it was for (the request log's ``login``) and the parsed
    body worth logging."""

    response: web.StreamResponse
    login: str | None = None
    body: Any = None


def not_found(login: str | None = None) -> Answer:
    return Answer(web.json_response(NOT_FOUND, status=404), login)


def is_loopback_redirect(uri: str) -> bool:
    """GitHub lets an OAuth app redirect to any port on the loopback address (RFC 8252)."""
    parsed = urllib.parse.urlsplit(uri)
    return parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost", "::1")


def redirect_with(uri: str, params: dict[str, str]) -> web.Response:
    parsed = urllib.parse.urlsplit(uri)
    query = "&".join(q for q in (parsed.query, urllib.parse.urlencode(params)) if q)
    return web.Response(status=302, headers={"Location": parsed._replace(query=query).geturl()})


def authorize(request: web.Request, state: GitHubState) -> Answer:
    """``GET /login/oauth/authorize``: the user is taken to have clicked Authorize (or Cancel)."""
    query = request.query
    redirect_uri = query.get("redirect_uri", "")
    if not query.get("client_id") or not is_loopback_redirect(redirect_uri):
        return Answer(web.Response(status=400, text="The redirect_uri is not associated with this app."))
    back = {"state": query["state"]} if "state" in query else {}
    if state.take_denial():
        error = {"error": "access_denied", "error_description": DENIED_DESCRIPTION}
        error["error_uri"] = (
            "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied"
        )
        return Answer(redirect_with(redirect_uri, {**error, **back}))
    with state.lock:
        login = state.approve_login
        known = login is not None and login in state.accounts
    if login is None or not known:
        return Answer(web.Response(status=500, text=f"scripted GitHub: no account {login!r} to approve as"))
    issued = IssuedCode(
        login, query["client_id"], redirect_uri, query.get("code_challenge", ""), query.get("scope", "")
    )
    return Answer(redirect_with(redirect_uri, {"code": state.issue_code(issued), **back}), login)


def exchange_matches(issued: IssuedCode, form: dict[str, str]) -> bool:
    """The same app, the same redirect, and the verifier of the authorize page's PKCE challenge."""
    if issued.client_id != form.get("client_id"):
        return False
    if "redirect_uri" in form and form["redirect_uri"] != issued.redirect_uri:
        return False
    return not issued.code_challenge or pkce_matches(form.get("code_verifier", ""), issued.code_challenge)


async def access_token(request: web.Request, state: GitHubState) -> Answer:
    """``POST /login/oauth/access_token``: a code is exchanged once, with its PKCE verifier. Errors are
    HTTP 200 with an ``error`` field, as GitHub answers them; JSON only when asked for (Accept)."""
    fields = await request.json() if request.content_type == "application/json" else await request.post()
    form = {str(k): str(v) for k, v in fields.items()}
    logged = {k: v for k, v in form.items() if k not in ("client_secret", "code_verifier")}
    issued = state.redeem(form.get("code", ""))
    answer: dict[str, str]
    login = None
    if issued is None or not exchange_matches(issued, form):
        answer = dict(BAD_CODE)
    else:
        with state.lock:
            account = state.accounts[issued.login]
            answer = {"access_token": account.token, "token_type": "bearer", "scope": issued.scope}
        login = issued.login
    if "json" in request.headers.get("Accept", ""):
        return Answer(web.json_response(answer), login, logged)
    return Answer(
        web.Response(text=urllib.parse.urlencode(answer), content_type="application/x-www-form-urlencoded"),
        login,
        logged,
    )


def quota_snapshot(account: ScriptedAccount, quota_id: str, now: datetime.datetime) -> dict[str, Any]:
    """The premium snapshot; ``quota_reset_at`` (epoch seconds) is the only reset date the CLI's
    ``session.rpc.quota.get`` passes on (as ``reset_date_epoch_ms``)."""
    remaining = account.premium_remaining
    entitlement = account.premium_entitlement
    percent = 100.0 * remaining / entitlement if entitlement else 0.0
    return {
        "entitlement": entitlement,
        "remaining": int(remaining),
        "percent_remaining": round(percent, 4),
        "unlimited": False,
        "overage_permitted": account.overage_permitted,
        "overage_count": max(0.0, account.premium_used - entitlement),
        "quota_id": quota_id,
        "quota_remaining": remaining,
        "timestamp_utc": now.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "quota_reset_at": int(next_reset(now).timestamp()),
    }


def unlimited_snapshot(quota_id: str, now: datetime.datetime) -> dict[str, Any]:
    return {
        "entitlement": 0, "remaining": 0, "percent_remaining": 100.0, "unlimited": True,
        "overage_permitted": False, "overage_count": 0, "quota_id": quota_id, "quota_remaining": 0.0,
        "timestamp_utc": now.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }  # fmt: skip


def copilot_user(account: ScriptedAccount) -> dict[str, Any]:
    """``GET /copilot_internal/user`` as GitHub answers it for a Copilot subscriber."""
    now = datetime.datetime.now(datetime.UTC)
    reset = next_reset(now)
    return {
        "login": account.login,
        "access_type_sku": "plus_monthly_subscriber_quota"
        if account.plan != "free"
        else "free_limited_copilot",
        "analytics_tracking_id": f"scripted-{account.user_id}",
        "assigned_date": "2025-01-01T00:00:00Z",
        "can_signup_for_limited": False,
        "chat_enabled": True,
        "copilot_plan": account.plan,
        "organization_login_list": [],
        "organization_list": [],
        "endpoints": {
            "api": COPILOT_API,
            "origin-tracker": "https://origin-tracker.githubusercontent.com",
            "proxy": "https://copilot-proxy.githubusercontent.com",
            "telemetry": "https://telemetry.githubcopilot.com",
        },
        "quota_reset_date": reset.strftime("%Y-%m-%d"),
        "quota_reset_date_utc": reset.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "quota_snapshots": {
            "chat": unlimited_snapshot("chat", now),
            "completions": unlimited_snapshot("completions", now),
            "premium_interactions": quota_snapshot(account, "premium_interactions", now),
        },
    }


def api_github_com(request: web.Request, state: GitHubState) -> Answer:
    """api.github.com: a known token gets its user; anything else there is 401 (unknown token) or 404."""
    account = state.by_token(request.headers.get("Authorization"))
    if account is None:
        return Answer(web.json_response(BAD_CREDENTIALS, status=401))
    with state.lock:
        if request.path == "/copilot_internal/user":
            return Answer(web.json_response(copilot_user(account)), account.login)
        if request.path == "/user":
            user = {
                "login": account.login, "id": account.user_id, "node_id": f"U_scripted{account.user_id}",
                "type": "User", "name": account.name, "email": None, "site_admin": False,
                "html_url": f"https://github.com/{account.login}",
                "avatar_url": f"https://avatars.githubusercontent.com/u/{account.user_id}?v=4",
            }  # fmt: skip
            return Answer(web.json_response(user), account.login)
    return not_found(account.login)
