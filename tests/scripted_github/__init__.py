"""A scripted GitHub for end-to-end tests, as ``tests/model_server.py`` stands in for an endpoint.

The CLI's ``HTTPS_PROXY`` is a loopback CONNECT proxy (``proxy``) that tunnels only to a local aiohttp
server (``server``) whose certificate, for every host below, comes from a throw-away ``trustme`` CA
(``ca``) the CLI trusts through ``NODE_EXTRA_CA_CERTS``. It answers github.com and api.github.com
(``github_api``) and api.githubcopilot.com (``copilot_api``) from its state (``accounts``); the fake
browser (``browser``, and ``qt_browser`` for ``QDesktopServices``) follows GitHub's redirect to the
CLI. Nothing leaves the machine: any other host is refused, and ``ScriptedGitHub.refused`` says so.

What @github/copilot 1.0.102 (github-copilot-sdk 1.0.25) asked and did, 2026-12-02:

- Hosts: github.com, api.github.com, api.githubcopilot.com, telemetry.githubcopilot.com
  (``POST /telemetry``). Nothing else, with or without a session.
- Start, signed in: ``GET api.github.com/copilot_internal/user`` (Bearer: the GitHub token itself, no
  token exchange), ``/copilot_internal/managed_settings`` (404 is fine), ``GET
  api.githubcopilot.com/models``. The user answer is cached on disk
  (``$XDG_CACHE_HOME/copilot/copilot-user-cache.json``, keyed by the token) and re-used by the next
  CLI process too, so every ``ScriptedAccount`` gets a fresh random token. A session adds
  ``/copilot_internal/team_customizations`` and ``POST /mcp/readonly`` (both 404: the built-in GitHub
  MCP server is reported failed, harmlessly; with ``github_mcp`` set it is answered as an MCP server
  with no tools, and the CLI counts it connected).
- A token in the environment: ``COPILOT_GITHUB_TOKEN``, then ``GH_TOKEN``, then ``GITHUB_TOKEN``;
  ``get_auth_status`` says authType "env", "octocat (via COPILOT_GITHUB_TOKEN)"; ``accounts.enumerate``
  lists it with ``auth_source`` the variable's name (a GH_TOKEN beside it is a second account, source
  "gh"; GITHUB_TOKEN is then not listed).
- Sign-in: ``accounts.login.begin`` gives ``https://github.com/login/oauth/authorize?client_id=
  Ov23ctDVkRmgkPke0Mmm&redirect_uri=http://127.0.0.1:PORT/callback&scope=read:user read:org repo gist
  codespace write:plugin_gateway_connections&state=..&code_challenge=..&code_challenge_method=S256``;
  the CLI listens from ``begin`` on (a browser may come before ``advance``). Its callback page answers
  200 "Authorization received" to a code with the right state, then it POSTs the exchange (form:
  client_id, client_secret, code, redirect_uri, code_verifier; ``Accept: application/json``; the PKCE
  verifier is checked here) and GETs ``copilot_internal/user``. ``advance``: completed +
  needs-plaintext-consent; ``advance("allow")``: completed, with the login; the token is in
  ``<copilot home>/config.json`` (``authTokens`` "https://github.com:LOGIN" and "...:LOGIN:github",
  ``loggedInUsers``, ``lastLoggedInUser``).
- A code GitHub refuses (``bad_verification_code``): ``advance`` raises "GenericFailure, The code passed
  is incorrect or expired." Denied (``error=access_denied`` with the flow's state, as GitHub
  redirects): the page answers 400 "Sign in failed" and ``advance`` raises at once "GenericFailure,
  The user has denied your application access." (the ``error_description``). A redirect without the
  state or with a wrong one: 400, and ``advance`` waits on; ``login.cancel`` returns None, ``advance``
  then raises "GenericFailure, Login cancelled", and the loopback port is closed.
- Accounts: a second sign-in becomes the active account; ``SWITCH_ACTIVE`` answers ok=True,
  more_users=None; ``get_auth_status`` may lag behind ``enumerate``. ``LOGOUT`` with no keychain raises
  "Failed to remove token: Keychain error: No default store has been set, so cannot search or create
  entries" (with ``COPILOT_DISABLE_KEYTAR=1`` in the CLI's environment it works: ok=True,
  more_users=True, and the config file forgets the account).
- Plans (``copilot_plan``): free -> "free" (is_free_user, upgrade_url), individual -> "pro",
  individual_pro -> "pro_plus", business -> "business", enterprise -> "enterprise".
- Models: ``list_models`` puts its own "auto" first and orders the rest itself; a model with policy
  "disabled" is left out, one "unconfigured" is listed with that state. ``billing.multiplier`` and
  ``capabilities.supports.reasoning_effort`` become ``ModelInfo.billing`` and
  ``supported_reasoning_efforts`` (the SDK needs ``policy.terms``). "auto" POSTs ``/auto`` (404 is fine)
  and ``/models/session`` (``{"auto_mode": {"model_hints": ["auto"]}}``): its ``selected_model`` is
  asked with a ``copilot-session-token`` header; with no answer the CLI takes gpt-5-mini, effort medium.
- Chat: ``POST /chat/completions``, streamed; the effort is ``reasoning_effort`` at the top level of the
  body; headers ``x-initiator: user``, ``x-interaction-type: conversation-user``. Billing here follows
  ``x-initiator`` (an "agent" follow-up is free).
- Quota: ``account.get_quota`` is the user answer the CLI read at start (cached as above):
  ``reset_date`` there is the snapshot's ``timestamp_utc``, not ``quota_reset_date``.
  ``session.rpc.quota.get`` starts from the same and is updated by each reply's
  ``x-quota-snapshot-premium_interactions`` header (ent, ov, ovPerm, rem = percent remaining, rst);
  its ``reset_date_epoch_ms`` comes only from the snapshot's ``quota_reset_at`` (epoch seconds; a
  string there fails the sign-in). ``quota.refresh`` fetches nothing. No quota warning came
  (``quota.take_warnings`` empty at 80 to 100 % used). A 402 ``quota_exceeded`` gives ``session.error``
  quota/quota_exceeded/402 with the message sent; the CLI itself refuses nothing.
"""

from tests.scripted_github.accounts import LoggedRequest, ScriptedAccount
from tests.scripted_github.browser import BrowseRefusedError, BrowserVisit
from tests.scripted_github.copilot_api import CATALOGUE, ChatCall, ScriptedModel
from tests.scripted_github.server import ScriptedGitHub

__all__ = [
    "CATALOGUE",
    "BrowseRefusedError",
    "BrowserVisit",
    "ChatCall",
    "LoggedRequest",
    "ScriptedAccount",
    "ScriptedGitHub",
    "ScriptedModel",
]
