"""What a tool asks to do, and the user's standing answers. No Qt and no SDK import.

In Agent mode the CLI's built-in tools run shell commands, write files and fetch URLs on the user's
machine, and the CLI asks before each. ``describe`` turns such a request into a ``PermissionPrompt``
that shows all of it (the full command, the path, the URL, the tool and its arguments). A ``Rule`` is
an answer the user chose to keep, for one conversation or always; ``covers`` decides, conservatively,
whether it answers a new request. Anything unusual (command substitution, a wrapper such as
``sudo``, a write redirection, a path outside the rule's folder once symlinks are resolved, a URL
whose host reads two ways) is asked again rather than approved, and a rule's label says exactly what
it covers. The judging of commands, URLs and paths lives in ``permission_commands``,
``permission_urls`` and ``permission_paths``.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from desktop_app.core.permissions.commands import command_covered, command_prefix, segments_account_for
from desktop_app.core.permissions.paths import inside, path_scopes, too_broad
from desktop_app.core.permissions.urls import domain_label, host_covered, url_host
from desktop_app.core.rendering.pretty import pretty_json
from desktop_app.core.vocabulary.event_hub import EventHub
from desktop_app.core.vocabulary.permission_requests import (
    TITLES,
    Answer,
    Choice,
    PermissionPrompt,
    RequestKind,
    Rule,
    RuleOption,
    RuleScope,
)


def describe_rule(rule: Rule) -> str:
    """What a kept rule covers, in the settings' words."""
    where = "in this conversation" if rule.conversation_id else "always"
    return f"{_scope_label(rule.scope, (rule.value,))}, {where}"


def rule_applies(rule: Rule) -> bool:
    """Can this rule answer anything? One kept before the rule book grew stricter may be too
    broad to ("git", "python", the home folder): it is never applied, and the settings say so."""
    if rule.scope is RuleScope.COMMAND:
        real = command_prefix(rule.value).split()
        return bool(real) and rule.value.split()[: len(real)] == real
    if rule.scope is RuleScope.PATH:
        return not too_broad(rule.value)
    if rule.scope is RuleScope.DOMAIN:
        return url_host(f"https://{rule.value}/") == rule.value.lower()
    return bool(rule.value)


# -- describing a request ----------------------------------------------------------------------


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, obj.get(_camel(name)))
    return getattr(obj, name, None)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _kind_of(request: Any) -> RequestKind:
    raw = _text(_get(request, "kind"))
    try:
        return RequestKind(raw)
    except ValueError:
        return RequestKind.OTHER


def _scope_label(scope: RuleScope, values: tuple[str, ...]) -> str:
    shown = ", ".join(values)
    return {
        RuleScope.COMMAND: f"commands starting with {shown}",
        RuleScope.PATH: f"files in {shown}",
        RuleScope.DOMAIN: domain_label(values),
        RuleScope.TOOL: f"the tool {shown}",
    }[scope]


def _option(scope: RuleScope, values: list[str]) -> RuleOption:
    unique = tuple(dict.fromkeys(v for v in values if v))
    return RuleOption(scope, unique, _scope_label(scope, unique))


def describe(request: Any, prompt_id: str | None = None) -> PermissionPrompt:
    """Read an SDK permission request (attributes or a dict) into what the user is shown."""
    kind = _kind_of(request)
    prompt_id = prompt_id or uuid.uuid4().hex
    call_id = _text(_get(request, "tool_call_id"))
    intention = _text(_get(request, "intention"))
    title = TITLES[kind]
    if kind is RequestKind.SHELL:
        full = _text(_get(request, "full_command_text"))
        segments = [_text(_get(s, "full_command_text")) for s in _get(request, "command_segments") or []]
        segments = [s for s in segments if s.strip()] or [full]
        commands = tuple(s.strip() for s in segments)
        complete = segments_account_for(full, segments)
        redirect = bool(_get(request, "has_write_file_redirection"))
        paths = tuple(_text(p) for p in _get(request, "possible_paths") or [])
        urls = tuple(_text(_get(u, "url")) for u in _get(request, "possible_urls") or [])
        prefixes = [command_prefix(c) for c in commands]
        options: tuple[RuleOption, ...] = ()
        if complete and not redirect and all(prefixes):
            options = (_option(RuleScope.COMMAND, prefixes),)
        warning = _text(_get(request, "warning"))
        if redirect:
            warning = (warning + "\n" if warning else "") + "This command writes to a file (redirection)."
        return PermissionPrompt(
            prompt_id, kind, call_id, title, full, intention, warning, commands, paths, urls,
            "bash", redirect, options, complete,
        )  # fmt: skip
    if kind in (RequestKind.WRITE, RequestKind.READ):
        path = _text(_get(request, "resolved_path") or _get(request, "file_name") or _get(request, "path"))
        detail = path
        diff = _text(_get(request, "diff"))
        if diff:
            detail = f"{path}\n\n{diff}"
        path_options = tuple(_option(RuleScope.PATH, [scope]) for scope in path_scopes(path))
        return PermissionPrompt(
            prompt_id,
            kind,
            call_id,
            title,
            detail,
            intention,
            paths=(path,) if path else (),
            options=path_options,
        )
    if kind is RequestKind.URL:
        url = _text(_get(request, "url"))
        host = url_host(url)
        url_options = (_option(RuleScope.DOMAIN, [host]),) if host else ()
        return PermissionPrompt(
            prompt_id, kind, call_id, title, url, intention, urls=(url,), options=url_options
        )
    if kind in (RequestKind.MCP, RequestKind.CUSTOM_TOOL):
        name = _text(_get(request, "tool_name"))
        server = _text(_get(request, "server_name"))
        qualified = f"{server}/{name}" if server else name
        args = pretty_json(_get(request, "args"))
        detail = f"{qualified}\n{args}" if args else qualified
        return PermissionPrompt(
            prompt_id, kind, call_id, title, detail, intention, tool_name=qualified,
            options=(_option(RuleScope.TOOL, [qualified]),) if qualified else (),
        )  # fmt: skip
    if kind is RequestKind.MEMORY:
        return PermissionPrompt(prompt_id, kind, call_id, title, _text(_get(request, "fact")), intention)
    raw_kind = _text(_get(request, "kind")) or "unknown"
    fields = {k: v for k, v in _fields(request).items() if k != "kind"}
    return PermissionPrompt(prompt_id, kind, call_id, f"{title} ({raw_kind})", pretty_json(fields), intention)


def _fields(request: Any) -> dict[str, Any]:
    if isinstance(request, dict):
        return dict(request)
    if not hasattr(request, "__dict__"):
        return {}
    return {k: v for k, v in vars(request).items() if not k.startswith("_")}


# -- matching -----------------------------------------------------------------------------------


def covers(rule: Rule, prompt: PermissionPrompt, conversation_id: str | None) -> bool:
    """Does this kept answer allow this request? When in doubt, no: the user is asked."""
    if rule.kind is not prompt.kind:
        return False
    if rule.conversation_id is not None and rule.conversation_id != conversation_id:
        return False
    if rule.scope is RuleScope.COMMAND:
        if prompt.has_write_redirection or not prompt.commands or not prompt.segments_complete:
            return False
        return all(command_covered(c, rule.value) for c in prompt.commands)
    if rule.scope is RuleScope.PATH:
        return bool(prompt.paths) and all(inside(p, rule.value) for p in prompt.paths)
    if rule.scope is RuleScope.DOMAIN:
        return bool(prompt.urls) and all(host_covered(u, rule.value) for u in prompt.urls)
    if rule.scope is RuleScope.TOOL:
        return bool(prompt.tool_name) and prompt.tool_name == rule.value
    return False


def rules_for(answer: Answer, prompt: PermissionPrompt, conversation_id: str | None) -> list[Rule]:
    """The rules an answer keeps (none for once, deny, or a request with nothing to scope)."""
    if answer.choice not in (Choice.ALLOW_CONVERSATION, Choice.ALLOW_ALWAYS):
        return []
    option = answer.option or (prompt.options[0] if prompt.options else None)
    if option is None or (answer.choice is Choice.ALLOW_CONVERSATION and conversation_id is None):
        return []  # nothing to scope it to: it counts for this request only
    owner = conversation_id if answer.choice is Choice.ALLOW_CONVERSATION else None
    return [Rule(prompt.kind, option.scope, value, owner) for value in option.values]


class RuleStorage(Protocol):
    """Where kept answers survive a restart (the conversation store)."""

    def add_rules(self, rules: list[Rule]) -> None: ...

    def delete_rule(self, rule_id: str) -> None: ...


class RuleBook:
    """The kept answers, shared by every window; ``storage`` keeps them across restarts."""

    def __init__(self, rules: list[Rule] | None = None, storage: RuleStorage | None = None) -> None:
        self._rules: list[Rule] = list(rules or [])
        self._storage = storage
        self.changed: EventHub[list[Rule]] = EventHub("rule book")  # the rules, after every change

    @property
    def rules(self) -> list[Rule]:
        return list(self._rules)

    def match(self, prompt: PermissionPrompt, conversation_id: str | None) -> Rule | None:
        # A command request is allowed only if one rule covers all of it, or each part is covered.
        for rule in self._rules:
            if covers(rule, prompt, conversation_id):
                return rule
        if prompt.kind is RequestKind.SHELL and len(prompt.commands) > 1:
            return self._match_each_command(prompt, conversation_id)
        return None

    def _match_each_command(self, prompt: PermissionPrompt, conversation_id: str | None) -> Rule | None:
        found: Rule | None = None
        for command in prompt.commands:
            part = PermissionPrompt(
                prompt.prompt_id, prompt.kind, prompt.tool_call_id, prompt.title, command,
                commands=(command,), has_write_redirection=prompt.has_write_redirection,
                segments_complete=prompt.segments_complete,
            )  # fmt: skip
            found = next((r for r in self._rules if covers(r, part, conversation_id)), None)
            if found is None:
                return None
        return found

    def add(self, rules: list[Rule]) -> None:
        known = {(r.kind, r.scope, r.value, r.conversation_id) for r in self._rules}
        fresh = [r for r in rules if (r.kind, r.scope, r.value, r.conversation_id) not in known]
        if fresh:
            if self._storage is not None:
                self._storage.add_rules(fresh)
            self._rules.extend(fresh)
            self._changed()

    def revoke(self, rule_id: str) -> bool:
        if not any(r.id == rule_id for r in self._rules):
            return False
        if self._storage is not None:
            self._storage.delete_rule(rule_id)
        self._rules = [r for r in self._rules if r.id != rule_id]
        self._changed()
        return True

    def _changed(self) -> None:
        self.changed.publish(self.rules)
