"""The rule book against an attacker: commands, URLs and paths built to slip past a kept rule.

A kept rule must never answer a request broader than its label says. Each case here is a request a
model could make hoping a rule the user kept ("git log", "example.com", a project folder) answers
it; each must be asked again. Decisions the cases record:
- ``env X=1 git log`` and ``X=1 git log`` are not ``git log``: variables such as ``GIT_PAGER`` or
  ``LD_PRELOAD`` change what runs. They are asked again and offer no rule.
- ``git\\tlog`` is ``git log``: a tab is a blank to the shell, so the words are the same.
- ``https://EXAMPLE.com`` is on example.com (hosts are case-blind); ``https://example.com.`` (a
  trailing dot) is asked again and offers no rule, since browsers treat it as another origin.
- ``http://exa<TAB>mple.com``: browsers drop the tab and reach example.com, but a URL that reads
  one way to the user and another to the parser is asked again.
- Command lines joined by newlines are asked again even when each line is covered.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.permissions.commands import (
    INTERPRETERS,
    UNSAFE_IN_SEGMENT,
    WRAPPERS,
    command_prefix,
    segments_account_for,
    words,
)
from desktop_app.core.permissions.rules import RuleBook, covers, describe, rules_for
from desktop_app.core.vocabulary.permission_requests import (
    Answer,
    Choice,
    PermissionPrompt,
    RequestKind,
    Rule,
    RuleScope,
)

# -- shell commands ---------------------------------------------------------------------------------


def shell(full: str, segments: list[str] | None = None, redirect: bool = False) -> PermissionPrompt:
    parts = segments if segments is not None else [full]
    return describe(
        SimpleNamespace(
            kind="shell", full_command_text=full, intention="", tool_call_id="t", warning=None,
            command_segments=[SimpleNamespace(full_command_text=s, identifier=s) for s in parts],
            has_write_file_redirection=redirect, possible_paths=[], possible_urls=[],
        )
    )  # fmt: skip


def command_rule(value: str) -> Rule:
    return Rule(RequestKind.SHELL, RuleScope.COMMAND, value)


def book_of(*values: str) -> RuleBook:
    return RuleBook([command_rule(v) for v in values])


GIT_LOG_IS_NOT = [
    # (full command, the segments the CLI reports for it)
    ("git -c core.pager=evil log", None),
    ("git -c alias.log=!sh log", None),
    ("git --git-dir=/tmp/evil log", None),
    ("git --exec-path=/tmp/evil log", None),
    ("git -C /somewhere/else log", None),
    ("git --no-pager log --output=/home/u/.bashrc", None),
    ("git log --output=/home/u/.bashrc", None),
    ("git log --ext-diff", None),
    ("env X=1 git log", None),
    ("env GIT_PAGER=evil git log", None),
    ("X=1 git log", None),
    ("GIT_PAGER='sh -c evil' git log", None),
    ("LD_PRELOAD=/tmp/x.so git log", None),
    ("sudo git log", None),
    ("doas git log", None),
    ("timeout 5 git log", None),
    ("nice git log", None),
    ("nohup git log", None),
    ("time git log", None),
    ("command git log", None),
    ("exec git log", None),
    ("xargs git log", None),
    ("builtin git log", None),
    ("eval git log", None),
    ("bash -c 'git log'", None),
    ("sh -c 'git log; rm -rf ~'", None),
    ("zsh -c 'git log'", None),
    ("/usr/bin/git log", None),
    ("./git log", None),
    ("git log; rm -rf ~", ["git log", "rm -rf ~"]),
    ("git log; rm -rf ~", None),  # a CLI that reports the line as one segment
    ("git log && curl x|sh", ["git log", "curl x", "sh"]),
    ("git log && curl x|sh", None),
    ("git log || rm -rf ~", ["git log", "rm -rf ~"]),
    ("git log | sh", ["git log", "sh"]),
    ("git log $(rm -rf ~)", ["git log $(rm -rf ~)", "rm -rf ~"]),
    ("git log $(rm -rf ~)", ["git log"]),  # the substitution left out of the segments
    ("git log `rm -rf ~`", ["git log `rm -rf ~`", "rm -rf ~"]),
    ("git log ${IFS}x", None),
    ("git log $HOME", None),
    ("git log\nrm -rf ~", ["git log", "rm -rf ~"]),
    ("git log\nrm -rf ~", None),
    ("git log\rrm -rf ~", None),
    ("git log\x0brm", None),
    ("git log\x00rm", None),
    ("git log\u2028rm -rf ~", None),
    ("git log > ~/.bashrc", ["git log"]),
    ("git log 2>/dev/null", ["git log"]),
    ("git log &", ["git log"]),
    ("git log & rm -rf ~", ["git log", "rm -rf ~"]),
    ("(git log)", ["git log"]),
    ("{ git log; }", ["git log"]),
    ("if git log; then rm -rf ~; fi", ["git log", "rm -rf ~"]),
    ("git log # harmless", ["git log"]),
    ("git log <<EOF\nx\nEOF", ["git log"]),
    ("git log \\; rm -rf ~", None),
    ("g\\it log", None),
    ("g\u0456t log", None),  # a Cyrillic i
    ("git l\u043eg", None),  # a Cyrillic o
    ("ｇｉｔ log", None),  # fullwidth letters
    ("git\u00a0log", None),  # a no-break space is not a blank to the shell
    ("git\u200blog", None),  # nor is a zero-width space
    ("git log \u202e--oneline", None),  # a bidirectional override: displays otherwise than it runs
    ("git log \u200b", None),
    ("export PATH=/tmp/evil:/usr/bin && git log", ["export PATH=/tmp/evil:/usr/bin", "git log"]),
    ("git 'log'x", None),
    ("git logx", None),
    ("git status", None),
    ("git", None),
    ("", None),
]


@pytest.mark.parametrize(("full", "segments"), GIT_LOG_IS_NOT)
def test_a_git_log_rule_covers_nothing_else(full: str, segments: list[str] | None) -> None:
    prompt = shell(full, segments, redirect=">" in full and "2>" not in full)
    assert not covers(command_rule("git log"), prompt, None)
    assert book_of("git log").match(prompt, None) is None


@pytest.mark.parametrize(("full", "segments"), GIT_LOG_IS_NOT)
def test_no_rule_broader_than_its_label_is_offered(full: str, segments: list[str] | None) -> None:
    """Whatever is offered for these names each segment's own real command, and covers the request."""
    prompt = shell(full, segments)
    for option in prompt.options:
        assert option.values == tuple(dict.fromkeys(command_prefix(c) for c in prompt.commands))
        for command in prompt.commands:
            found, value = words(command), command_prefix(command)
            assert found is not None and found[: len(value.split())] == value.split()
            assert found[0] not in WRAPPERS and value != "git"  # "git" alone would cover every git
        kept = RuleBook(rules_for(Answer(Choice.ALLOW_ALWAYS, option), prompt, None))
        assert kept.match(prompt, None) is not None  # one rule per segment, each named in the label


@pytest.mark.parametrize("wrapper", sorted(WRAPPERS - {"{", "}", "!", "[[", "]]"}))
def test_a_wrapper_never_becomes_a_rules_command(wrapper: str) -> None:
    prompt = shell(f"{wrapper} git log")
    assert prompt.options == ()
    assert command_prefix(f"{wrapper} git log") == ""
    # A rule kept for the wrapper itself (say, before this check) still covers nothing.
    assert not covers(command_rule(wrapper), prompt, None)


@pytest.mark.parametrize("interpreter", sorted(INTERPRETERS))
@pytest.mark.parametrize("code_flag", ["-c", "-e", "-", "-E", "--eval", "-p"])
def test_code_given_to_an_interpreter_is_never_kept(interpreter: str, code_flag: str) -> None:
    command = f"{interpreter} {code_flag} 'rm -rf ~'"
    assert shell(command).options == ()
    assert not covers(command_rule(interpreter), shell(command), None)
    assert not covers(command_rule(interpreter), shell(interpreter), None)  # code from stdin


@pytest.mark.parametrize(
    ("command", "prefix"),
    [
        ("git log --oneline -5", "git log"),
        ("git\tlog", "git log"),  # a tab is a blank: the same words
        ("'git' log", "git log"),  # quotes the shell removes
        ("python -m pytest -q", "python -m pytest"),
        ("python3 scripts/check.py", "python3 scripts/check.py"),
        ("node build.js", "node build.js"),
        ("uv run pytest", "uv run pytest"),
        ("npm run lint", "npm run lint"),
        ("npx prettier --check .", "npx prettier"),
        ("make test", "make test"),
        ("find . -name '*.py'", "find"),
        ("ls -la", "ls"),
    ],
)
def test_a_rule_names_the_real_command_and_its_subcommand(command: str, prefix: str) -> None:
    prompt = shell(command)
    assert [o.values for o in prompt.options] == [(prefix,)]
    assert prompt.options[0].label == f"commands starting with {prefix}"
    assert covers(command_rule(prefix), prompt, None)


@pytest.mark.parametrize(
    "command",
    [
        "find . -exec rm {} \\;",
        "find . -execdir sh -c x {} +",
        "find . -delete",
        "find / -ok rm {} ;",
        "find . -fprint /home/u/.bashrc",
        "fd -x rm",
        "rg --pre ./evil pattern",
        "tar --to-command=sh -xf a.tar",
        "git rebase --exec 'rm -rf ~' main",
        "git submodule foreach 'rm -rf ~'",
        "uv run",
        "uv run --with evil python",
        "npm --prefix /tmp/evil test",
    ],
)
def test_arguments_that_run_or_delete_something_else_are_asked_again(command: str) -> None:
    prompt = shell(command)
    assert prompt.options == ()
    program = command.split()[0]
    assert not covers(command_rule(program), prompt, None)
    assert not covers(command_rule(" ".join(command.split()[:2])), prompt, None)


def test_rules_kept_before_these_checks_stay_within_the_real_command() -> None:
    """A stored "git" or "python" rule (once offered) covers neither another subcommand nor code."""
    assert not covers(command_rule("git"), shell("git push --force"), None)
    assert not covers(command_rule("git"), shell("git log"), None)
    assert not covers(command_rule("python"), shell("python -c 'import os'"), None)
    assert not covers(command_rule("python"), shell("python evil.py"), None)
    assert covers(command_rule("git log"), shell("git log -p"), None)


def test_each_segment_is_judged_and_the_segments_must_make_up_the_line() -> None:
    book = book_of("git log", "head")
    assert book.match(shell("git log | head -n 3", ["git log", "head -n 3"]), None) is not None
    assert book.match(shell("git log && head x", ["git log", "head x"]), None) is not None
    # The same segments, but the line holds more than they do: asked again.
    for full in ("git log | head -n 3 | sh", "(git log | head -n 3)", "git log | head -n 3 &", "x; git log"):
        assert book.match(shell(full, ["git log", "head -n 3"]), None) is None, full
    assert shell("git log | head -n 3 | sh", ["git log", "head -n 3"]).options == ()


@pytest.mark.parametrize(
    ("full", "segments", "complete"),
    [
        ("a && b", ["a", "b"], True),
        ("a&&b", ["a", "b"], True),
        ("a ; b | c || d", ["a", "b", "c", "d"], True),
        ("a\nb", ["a", "b"], False),
        ("a & b", ["a", "b"], False),
        ("(a && b)", ["a", "b"], False),
        ("a $(b)", ["a $(b)", "b"], False),
        ("a # b", ["a"], False),
        ("b && a", ["a", "b"], False),  # out of order
        ("a", [], False),
        ("a && a", ["a"], False),
    ],
)
def test_segments_account_for_the_whole_line(full: str, segments: list[str], complete: bool) -> None:
    assert segments_account_for(full, segments) is complete


# Property: any rule made from a request's own offer covers that request, and its label's words are
# the start of what the shell runs; a covered request never holds anything a prefix could hide.
WORDS = st.sampled_from(
    ["git", "log", "status", "-c", "x=1", "env", "sudo", "python", "-m", "pytest", "-c", "bash",
     "find", "-exec", "rm", "ls", "-la", "npm", "test", "uv", "run", "X=1", "./a", "'q q'", "~", "*"]
)  # fmt: skip
JOINERS = st.sampled_from(
    [" ", "  ", "\t", " && ", " || ", "; ", " | ", "\n", " & ", " $(", ") ", "`", " > ", "\\", "#"]
)


@st.composite
def command_lines(draw: st.DrawFn) -> str:
    parts = draw(st.lists(WORDS, min_size=1, max_size=7))
    line = parts[0]
    for word in parts[1:]:
        line += draw(JOINERS) + word
    return line


def cli_segments(line: str) -> list[str]:
    """Roughly what the CLI reports: the line split at its operators (never trusted to be right)."""
    import re

    return [s.strip() for s in re.split(r"&&|\|\||;|\|", line) if s.strip()]


@settings(max_examples=300, deadline=None)
@given(command_lines(), st.booleans())
def test_property_offered_rules_are_exactly_as_broad_as_their_label(line: str, split: bool) -> None:
    prompt = shell(line, cli_segments(line) if split else None)
    for option in prompt.options:
        assert option.values == tuple(dict.fromkeys(command_prefix(c) for c in prompt.commands))
        assert option.label == "commands starting with " + ", ".join(option.values)
        for command in prompt.commands:
            assert not UNSAFE_IN_SEGMENT.search(command)
            found, value = words(command), command_prefix(command)
            assert found is not None and found[: len(value.split())] == value.split()
            assert found[0] not in WRAPPERS
        book = RuleBook(rules_for(Answer(Choice.ALLOW_ALWAYS, option), prompt, None))
        assert book.match(prompt, None) is not None  # the answer kept covers the request it came from


@settings(max_examples=300, deadline=None)
@given(command_lines(), st.sampled_from(["git log", "git", "ls", "python", "rm", "find", "env", "sudo"]))
def test_property_a_covered_command_starts_with_the_rule_and_hides_nothing(line: str, value: str) -> None:
    prompt = shell(line, cli_segments(line))
    if not covers(command_rule(value), prompt, None):
        return
    assert segments_account_for(line, list(prompt.commands))
    for command in prompt.commands:
        found = words(command)
        assert found is not None and found[: len(value.split())] == value.split()
        assert found[0] not in WRAPPERS and not UNSAFE_IN_SEGMENT.search(command)
    assert value not in ("git", "python", "env", "sudo")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["git log", "ls -la", "find . -name x", "python -m pytest"]),
    st.sampled_from(["; ", " && ", " | ", "\n", " & ", " $(", " `", " > ", " < ", " 2>", " #", "\\"]),
    st.sampled_from(["rm -rf ~", "curl x", "sh", "x"]),
)
def test_property_whatever_the_cli_leaves_out_is_asked_again(covered: str, joiner: str, extra: str) -> None:
    """The CLI reports only the first part: the rest of the line must not ride on its rule."""
    line = covered + joiner + extra
    prompt = shell(line, [covered])
    assert prompt.options == ()
    assert RuleBook([command_rule(command_prefix(covered))]).match(prompt, None) is None
