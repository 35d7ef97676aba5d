"""api.githubcopilot.com, scripted: the model catalogue with billing and efforts, and chat completions
streamed the way a Copilot model streams them, billed against the account's premium requests.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from desktop_app.core.copilot.byok import openai_sse as sse
from tests.scripted_github.accounts import GitHubState, ScriptedAccount, next_reset
from tests.scripted_github.github_api import Answer

QUOTA_EXCEEDED = {
    "error": {"message": "You have exceeded your premium request allowance.", "code": "quota_exceeded"}
}
UNAUTHORIZED = {"error": {"message": "unauthorized: token expired or invalid", "code": "unauthorized"}}


@dataclass(frozen=True)
class ScriptedModel:
    """One catalogue entry; a ``policy`` other than "enabled" is a model the account may not use (its
    chat completions are refused)."""

    id: str
    name: str
    vendor: str
    multiplier: float
    efforts: tuple[str, ...] = ()
    context_window: int = 128_000
    max_prompt: int = 128_000
    max_output: int = 16_000
    category: str = "versatile"
    policy: str = "enabled"

    def capi(self) -> dict[str, Any]:
        """As ``GET /models`` lists it (the SDK needs ``policy.terms``)."""
        supports: dict[str, Any] = {
            "streaming": True, "tool_calls": True, "parallel_tool_calls": True, "vision": True,
        }  # fmt: skip
        if self.efforts:
            supports["reasoning_effort"] = list(self.efforts)
        billing: dict[str, Any] = {"is_premium": self.multiplier > 0, "multiplier": self.multiplier}
        if self.multiplier > 0:
            billing["restricted_to"] = ["pro", "pro_plus", "business", "enterprise", "max"]
        return {
            "id": self.id, "name": self.name, "object": "model", "vendor": self.vendor,
            "version": self.id, "preview": False, "model_picker_enabled": True,
            "model_picker_category": self.category, "is_chat_default": False, "is_chat_fallback": False,
            "capabilities": {
                "family": self.id, "object": "model_capabilities", "type": "chat",
                "tokenizer": "o200k_base", "supports": supports,
                "limits": {
                    "max_context_window_tokens": self.context_window,
                    "max_prompt_tokens": self.max_prompt, "max_output_tokens": self.max_output,
                },
            },
            "billing": billing,
            "policy": {"state": self.policy, "terms": f"Enable access to the latest {self.name} model."},
            "supported_endpoints": ["/chat/completions"],
        }  # fmt: skip


EFFORTS = ("low", "medium", "high")
CATALOGUE = (
    ScriptedModel("gpt-5-mini", "GPT-5 mini", "OpenAI", 0, EFFORTS, 264_000, 128_000, 64_000, "lightweight"),
    ScriptedModel("claude-sonnet-4.5", "Claude Sonnet 4.5", "Anthropic", 1, (), 144_000, 128_000, 16_000),
    ScriptedModel("claude-opus-4.5", "Claude Opus 4.5", "Anthropic", 3, EFFORTS, 160_000, 128_000, 16_000,
                  "powerful"),
    ScriptedModel("o3-mini", "o3-mini", "Azure OpenAI", 0.33, EFFORTS, 200_000, 64_000, 100_000,
                  "lightweight"),
    # Two the account cannot use: "disabled" (an admin's policy: the CLI leaves it out of list_models)
    # and "unconfigured" (not enabled yet: listed, with its policy state and terms).
    ScriptedModel("gemini-2.5-pro", "Gemini 2.5 Pro", "Google", 1, (), 128_000, 128_000, 64_000, "powerful",
                  policy="disabled"),
    ScriptedModel("claude-haiku-4.5", "Claude Haiku 4.5", "Anthropic", 0.33, (), 144_000, 128_000, 16_000,
                  "lightweight", policy="unconfigured"),
)  # fmt: skip


@dataclass(frozen=True)
class ChatCall:
    """A chat completion as the reply function sees it."""

    login: str
    model: str
    effort: str | None
    prompt: str
    body: dict[str, Any]


def effort_of(body: dict[str, Any]) -> str | None:
    """The reasoning effort the CLI asked for: ``reasoning_effort`` (chat completions) or
    ``reasoning.effort`` (the Responses spelling)."""
    effort = body.get("reasoning_effort")
    if effort is None and isinstance(body.get("reasoning"), dict):
        effort = body["reasoning"].get("effort")
    return str(effort) if effort else None


def default_reply(call: ChatCall) -> str:
    return (
        f"Hello from scripted Copilot. Model {call.model}, effort {call.effort or 'none'}, "
        f"you said: {call.prompt}"
    )


def quota_header(account: ScriptedAccount) -> str:
    """GitHub's ``x-quota-snapshot-premium_interactions``: entitlement, overage, percent remaining."""
    percent = (
        100.0 * account.premium_remaining / account.premium_entitlement if account.premium_entitlement else 0
    )
    fields = {
        "ent": str(account.premium_entitlement),
        "ov": f"{max(0.0, account.premium_used - account.premium_entitlement):.1f}",
        "ovPerm": "true" if account.overage_permitted else "false",
        "rem": f"{percent:.1f}",
        "rst": next_reset().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return urllib.parse.urlencode(fields)


def catalogue_answer(account: ScriptedAccount, models: list[ScriptedModel]) -> Answer:
    return Answer(web.json_response({"object": "list", "data": [m.capi() for m in models]}), account.login)


def auto_session(account: ScriptedAccount, selected: str | None, models: list[ScriptedModel]) -> Answer:
    """``POST /models/session`` (``{"auto_mode": {"model_hints": ["auto"]}}``): the model "Auto" picks.
    The CLI then asks for ``selected_model`` with a ``copilot-session-token`` header; with no answer
    (404) it falls back to a model of its own choosing."""
    usable = [m.id for m in models if m.policy == "enabled"]
    if selected is None or selected not in usable:
        return Answer(web.json_response({"message": "Not Found"}, status=404), account.login)
    session = {
        "available_models": usable,
        "selected_model": selected,
        "session_token": f"scripted-auto-{account.login}",
        "expires_at": int(time.time()) + 3600,
    }
    return Answer(web.json_response(session), account.login)


def billable(request: web.Request) -> bool:
    """Only what the user asked is a premium request; the agent's own follow-ups are not."""
    return request.headers.get("X-Initiator", "user").lower() != "agent"


async def chat_completions(
    request: web.Request,
    body: dict[str, Any],
    account: ScriptedAccount,
    state: GitHubState,
    models: list[ScriptedModel],
    reply: Callable[[ChatCall], str],
) -> Answer:
    name = str(body.get("model") or "")
    model = next((m for m in models if m.id == name), None)
    if model is None or model.policy != "enabled":
        error = {"message": f"The requested model is not supported: {name}", "code": "model_not_supported"}
        return Answer(web.json_response({"error": error}, status=400), account.login, body)
    with state.lock:
        if model.multiplier > 0 and billable(request):
            if account.exhausted:
                return Answer(web.json_response(QUOTA_EXCEEDED, status=402), account.login, body)
            account.premium_used += model.multiplier
        header = quota_header(account)
    call = ChatCall(account.login, name, effort_of(body), sse.last_user_text(body), body)
    pieces = re.findall(r"\s*\S+", reply(call)) or [""]
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "x-quota-snapshot-premium_interactions": header}
    )
    await response.prepare(request)
    for chunk in (sse.role_chunk(name), *(sse.text_chunk(name, p) for p in pieces), sse.finish_chunk(name)):
        await response.write(chunk)
    await response.write(
        sse.usage_chunk(name, 50 + len(json.dumps(body.get("messages", []))) // 4, len(pieces))
    )
    await response.write(sse.DONE)
    await response.write_eof()
    return Answer(response, account.login, body)


def github_mcp(account: ScriptedAccount, body: Any) -> Answer:
    """``POST /mcp/readonly``, the CLI's built-in GitHub MCP server, as a streamable-HTTP MCP server
    with no tools: it answers ``initialize`` and ``tools/list``, takes notifications (202)."""
    if not isinstance(body, dict) or "id" not in body:
        return Answer(web.Response(status=202), account.login, body)
    method = body.get("method")
    result: dict[str, Any]
    if method == "initialize":
        params = body.get("params")
        version = params.get("protocolVersion") if isinstance(params, dict) else None
        result = {
            "protocolVersion": version or "2025-06-18",
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "github-mcp-server", "version": "scripted"},
        }
    elif method == "tools/list":
        result = {"tools": []}
    elif method == "ping":
        result = {}
    else:
        error = {"code": -32601, "message": f"Method not found: {method}"}
        return Answer(
            web.json_response({"jsonrpc": "2.0", "id": body["id"], "error": error}), account.login, body
        )
    return Answer(
        web.json_response({"jsonrpc": "2.0", "id": body["id"], "result": result}), account.login, body
    )
