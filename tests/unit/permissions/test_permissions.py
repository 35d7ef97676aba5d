"""Permission prompts and kept rules: what the user sees, and which requests a rule may answer."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from desktop_app.core.permissions.broker import PermissionBroker
from desktop_app.core.permissions.rules import RuleBook, command_prefix, covers, describe, rules_for
from desktop_app.core.vocabulary.events import ChatEvent, PermissionAnswered, PermissionAsked
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, RequestKind, Rule, RuleScope


def shell_request(full: str, segments: list[str] | None = None, redirect: bool = False) -> Any:
    parts = segments if segments is not None else [full]
    return SimpleNamespace(
        kind="shell",
        full_command_text=full,
        command_segments=[SimpleNamespace(full_command_text=s, identifier=s.split()[0]) for s in parts],
        has_write_file_redirection=redirect,
        intention="list files",
        possible_paths=[],
        possible_urls=[],
        tool_call_id="call_7",
        warning=None,
    )


def test_a_shell_request_shows_the_full_command_and_offers_its_prefix() -> None:
    prompt = describe(shell_request("git status --short"))
    assert prompt.kind is RequestKind.SHELL
    assert prompt.detail == "git status --short"
    assert prompt.intention == "list files"
    assert prompt.tool_call_id == "call_7"
    assert [(o.scope, o.values) for o in prompt.options] == [(RuleScope.COMMAND, ("git status",))]


@pytest.mark.parametrize(
    ("command", "prefix"),
    [
        ("git status --short", "git status"),
        ("git --no-pager log", ""),  # an option before the subcommand: no rule can name it safely
        ("ls -la", "ls"),
        ("npm test", "npm test"),
        ("python -m pytest", "python -m pytest"),  # "python" alone would cover python -c …
        ("", ""),
    ],
)
def test_command_prefix(command: str, prefix: str) -> None:
    assert command_prefix(command) == prefix


def test_a_write_redirection_is_never_offered_or_covered_by_a_command_rule() -> None:
    prompt = describe(shell_request("echo hi > ~/.bashrc", ["echo hi"], redirect=True))
    assert prompt.options == ()
    assert "writes to a file" in prompt.warning
    assert not covers(Rule(RequestKind.SHELL, RuleScope.COMMAND, "echo"), prompt, None)


@pytest.mark.parametrize(
    "command",
    [
        "ls $(rm -rf ~)",
        "ls `rm -rf ~`",
        "ls; rm -rf ~",
        "ls && rm -rf ~",
        "ls | sh",
        "ls ${HOME}",
        "ls\nrm -rf ~",
    ],
)
def test_substitution_and_chaining_inside_a_segment_is_asked_again(command: str) -> None:
    prompt = describe(shell_request(command, [command]))
    assert not covers(Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls"), prompt, None)


def test_a_prefix_rule_needs_whole_words() -> None:
    rule = Rule(RequestKind.SHELL, RuleScope.COMMAND, "git status")
    assert covers(rule, describe(shell_request("git status -s")), None)
    assert not covers(rule, describe(shell_request("git statusx")), None)
    assert not covers(rule, describe(shell_request("git push")), None)


def test_every_segment_of_a_compound_command_must_be_covered() -> None:
    book = RuleBook([Rule(RequestKind.SHELL, RuleScope.COMMAND, "echo")])
    both = describe(shell_request("echo a && rm -rf x", ["echo a", "rm -rf x"]))
    assert book.match(both, None) is None
    book.add([Rule(RequestKind.SHELL, RuleScope.COMMAND, "rm")])
    assert book.match(both, None) is not None


def test_conversation_rules_apply_only_in_their_conversation() -> None:
    rule = Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls", conversation_id="c1")
    prompt = describe(shell_request("ls -a"))
    assert covers(rule, prompt, "c1")
    assert not covers(rule, prompt, "c2")
    assert not covers(rule, prompt, None)


def test_path_rules_cover_files_inside_the_folder_only() -> None:
    write = SimpleNamespace(kind="write", file_name="/work/p/src/a.py", diff="+x", intention="edit")
    prompt = describe(write)
    assert prompt.detail.startswith("/work/p/src/a.py")
    assert [o.values for o in prompt.options] == [("/work/p/src",), ("/work/p/src/a.py",)]
    assert covers(Rule(RequestKind.WRITE, RuleScope.PATH, "/work/p"), prompt, None)
    assert not covers(Rule(RequestKind.WRITE, RuleScope.PATH, "/work/pe"), prompt, None)
    assert not covers(Rule(RequestKind.READ, RuleScope.PATH, "/work/p"), prompt, None)
    sneaky = describe(SimpleNamespace(kind="write", file_name="/work/p/../../etc/passwd", diff=""))
    assert not covers(Rule(RequestKind.WRITE, RuleScope.PATH, "/work/p"), sneaky, None)
    relative = describe(SimpleNamespace(kind="write", file_name="a.py", diff=""))
    assert not covers(Rule(RequestKind.WRITE, RuleScope.PATH, "/work/p"), relative, None)


def test_domain_rules_cover_the_host_and_its_subdomains() -> None:
    rule = Rule(RequestKind.URL, RuleScope.DOMAIN, "example.com")

    def url(u: str) -> Any:
        return describe(SimpleNamespace(kind="url", url=u, intention=""))

    assert url("https://example.com/a").options[0].values == ("example.com",)
    assert covers(rule, url("https://docs.example.com/x"), None)
    assert not covers(rule, url("https://example.com.evil.net/"), None)
    assert not covers(rule, url("https://notexample.com/"), None)
    assert not covers(rule, url("file://example.com/etc/passwd"), None)


def test_tool_requests_show_their_arguments() -> None:
    prompt = describe({"kind": "mcp", "serverName": "gh", "toolName": "create_issue", "args": {"t": 1}})
    assert prompt.tool_name == "gh/create_issue"
    assert '"t": 1' in prompt.detail
    assert covers(Rule(RequestKind.MCP, RuleScope.TOOL, "gh/create_issue"), prompt, None)


def test_an_unknown_request_kind_is_shown_not_dropped() -> None:
    prompt = describe({"kind": "teleport", "where": "mars"})
    assert prompt.kind is RequestKind.OTHER
    assert "teleport" in prompt.title and "mars" in prompt.detail
    assert prompt.options == ()


def test_rules_for_each_choice() -> None:
    prompt = describe(shell_request("ls -a"))
    assert rules_for(Answer(Choice.ALLOW_ONCE), prompt, "c") == []
    assert rules_for(Answer(Choice.DENY), prompt, "c") == []
    [conversation] = rules_for(Answer(Choice.ALLOW_CONVERSATION), prompt, "c")
    assert (conversation.value, conversation.conversation_id) == ("ls", "c")
    [always] = rules_for(Answer(Choice.ALLOW_ALWAYS, prompt.options[0]), prompt, "c")
    assert (always.value, always.conversation_id) == ("ls", None)


def test_answers_describe_themselves_and_tell_the_model() -> None:
    assert Answer(Choice.DENY).feedback() == "The user denied this request."
    said = Answer(Choice.DENY_WITH_MESSAGE, message="use rg")
    assert "use rg" in said.feedback() and said.describe() == "Denied: use rg"
    assert not said.allowed and Answer(Choice.ALLOW_ONCE).allowed


class MemoryStorage:
    def __init__(self) -> None:
        self.rows: dict[str, Rule] = {}

    def add_rules(self, rules: list[Rule]) -> None:
        self.rows.update({r.id: r for r in rules})

    def delete_rule(self, rule_id: str) -> None:
        del self.rows[rule_id]


def test_rule_book_keeps_rules_in_its_storage_and_revokes_them() -> None:
    storage = MemoryStorage()
    book = RuleBook(storage=storage)
    told: list[int] = []
    book.changed.subscribe(lambda rules: told.append(len(rules)))
    rule = Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls")
    book.add([rule])
    book.add([Rule(RequestKind.SHELL, RuleScope.COMMAND, "ls")])  # the same rule again: kept once
    assert list(storage.rows) == [rule.id] and len(book.rules) == 1
    assert book.revoke(rule.id) and not book.revoke(rule.id)
    assert storage.rows == {} and told == [1, 0]


# -- the broker ------------------------------------------------------------------------------------


async def _broker_run(book: RuleBook, request: Any, answer: Answer | None) -> tuple[Answer, list[ChatEvent]]:
    events: list[ChatEvent] = []
    broker = PermissionBroker(book, events.append, lambda: "conv")
    task = asyncio.ensure_future(broker.decide(request))
    await asyncio.sleep(0)
    if answer is not None:
        [prompt] = broker.pending
        assert broker.answer(prompt.prompt_id, answer)
    _prompt, result = await task
    return result, events


@pytest.mark.asyncio
async def test_broker_waits_for_the_user_and_keeps_what_they_chose() -> None:
    book = RuleBook()
    answer, events = await _broker_run(book, shell_request("ls -a"), Answer(Choice.ALLOW_CONVERSATION))
    assert answer.allowed
    assert [type(e) for e in events] == [PermissionAsked, PermissionAnswered]
    assert [(r.value, r.conversation_id) for r in book.rules] == [("ls", "conv")]
    # Covered now: answered by the rule, and still reported (never silently).
    answer, events = await _broker_run(book, shell_request("ls"), None)
    assert answer.allowed
    [answered] = events
    assert isinstance(answered, PermissionAnswered) and answered.rule is book.rules[0]


@pytest.mark.asyncio
async def test_broker_denies_everything_waiting_when_the_reply_stops() -> None:
    events: list[ChatEvent] = []
    broker = PermissionBroker(RuleBook(), events.append)
    task = asyncio.ensure_future(broker.decide(shell_request("rm -rf /")))
    await asyncio.sleep(0)
    broker.deny_all("stopped")
    _prompt, answer = await task
    assert not answer.allowed and broker.pending == []
    assert not broker.answer("nope", Answer(Choice.ALLOW_ONCE))


def test_allow_for_this_conversation_without_a_conversation_keeps_nothing() -> None:
    prompt = describe(shell_request("ls"))
    assert rules_for(Answer(Choice.ALLOW_CONVERSATION), prompt, None) == []
