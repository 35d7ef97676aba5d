"""Which program a shell command really runs, for command rules. No Qt.

A command rule is kept as the words a command starts with ("git log"), so those words must be the
program that runs and what it is asked to do, never a wrapper that runs something else (``sudo``,
``env``, ``bash -c``, ``xargs``, ``git -c core.pager=…``). When the real command cannot be named
safely, no rule is offered and none covers it: the user is asked again. The CLI splits a command line
into segments; a line whose segments do not account for all of it (a subshell, a loop, a heredoc, a
comment, a redirection) is asked again too, since part of it would run unseen by the rules.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

# Anything a word-prefix rule could hide: substitution, expansion, chaining, redirection, escapes,
# comments, control characters (tab and space are the only blanks allowed), and the invisible and
# bidirectional characters that make a command display as something other than what runs.
UNSAFE_IN_SEGMENT = re.compile(
    r"[`;&|<>$\\\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|(?:^|\s)#"
)
PROGRAM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")  # a bare name: no path, no assignment
SUBCOMMAND_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
SCRIPT_RE = re.compile(r"^[A-Za-z0-9._/+][A-Za-z0-9._/+-]*$")
# Between two segments the CLI reports, only these may stand (each segment is then judged alone).
SEPARATOR_RE = re.compile(r"[ \t]*(?:&&|\|\||;|\|)[ \t]*")

# Programs whose job is to run another program (or any code) with what follows, builtins that change
# what later commands run (export PATH=…), and shell keywords (a segment should never start with one).
WRAPPERS = frozenset(
    {
        "env", "sudo", "doas", "su", "runuser", "pkexec", "timeout", "nice", "ionice", "nohup",
        "xargs", "time", "command", "builtin", "exec", "eval", "source", ".", "setsid", "stdbuf",
        "chroot", "unshare", "nsenter", "flock", "taskset", "chrt", "watch", "strace", "ltrace",
        "gdb", "valgrind", "busybox", "script", "parallel", "firejail", "bwrap", "systemd-run",
        "ssh", "trap", "alias", "coproc", "function", "export", "declare", "typeset", "local",
        "readonly", "set", "unset", "shopt", "hash", "enable", "ulimit", "umask",
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
        "select", "!", "{", "}", "[[", "]]",
    }
)  # fmt: skip
# Interpreters run whatever code they are given: a rule must name the script or module.
INTERPRETERS = frozenset(
    {
        "sh", "bash", "zsh", "dash", "ksh", "fish", "csh", "tcsh", "python", "python2", "python3",
        "pypy", "pypy3", "node", "nodejs", "deno", "bun", "perl", "ruby", "php", "lua", "tclsh",
        "Rscript", "osascript", "pwsh", "powershell",
    }
)  # fmt: skip
PYTHON_VERSIONED = re.compile(r"^python3\.\d+$")
# Tools whose second word is the real command ("git push" is not "git status").
SUBCOMMAND_TOOLS = frozenset(
    {
        "git", "npm", "npx", "pnpm", "yarn", "pip", "pip3", "cargo", "go", "docker", "podman",
        "kubectl", "uv", "uvx", "poetry", "gh", "brew", "apt", "apt-get", "dnf", "systemctl",
        "conda", "rustup", "dotnet", "helm", "terraform", "make", "just", "bundle", "gem",
    }
)  # fmt: skip
# Subcommands that run another program: the rule names that program too ("uv run pytest").
RUNNER_SUBCOMMANDS = frozenset(
    {
        ("uv", "run"), ("uv", "tool"), ("poetry", "run"), ("npm", "exec"), ("npm", "run"),
        ("npm", "run-script"), ("pnpm", "exec"), ("pnpm", "dlx"), ("pnpm", "run"), ("yarn", "dlx"),
        ("yarn", "exec"), ("yarn", "run"), ("go", "run"), ("cargo", "run"), ("docker", "run"),
        ("docker", "exec"), ("podman", "run"), ("podman", "exec"), ("kubectl", "exec"),
        ("conda", "run"), ("bundle", "exec"), ("dotnet", "run"), ("gh", "extension"),
    }
)  # fmt: skip
# Arguments that make a program run or delete something else, whatever its rule says.
EXECUTING_ARGUMENTS = {
    "git": re.compile(
        r"^(?:--exec|--upload-pack|--receive-pack|--config-env|--output|--ext-diff|--extcmd|--tool)"
        r"(?:=.*)?$|^(?:foreach|-x)$"
    ),
    "find": re.compile(r"^-(?:exec|execdir|ok|okdir|delete|fprint|fprint0|fprintf|fls)$"),
    "fd": re.compile(r"^(?:-x|-X|--exec|--exec-batch)(?:=.*)?$"),
    "rg": re.compile(r"^--pre(?:=.*)?$"),
    "tar": re.compile(r"^--(?:to-command|checkpoint-action|use-compress-program)(?:=.*)?$|^-I$"),
}


def words(segment: str) -> list[str] | None:
    """The words the shell would run, or None when the segment is not plain enough to judge."""
    if not segment.strip() or UNSAFE_IN_SEGMENT.search(segment):
        return None
    try:
        return shlex.split(segment, posix=True)
    except ValueError:  # an unclosed quote
        return None


def _is_interpreter(program: str) -> bool:
    return program in INTERPRETERS or bool(PYTHON_VERSIONED.match(program))


def command_prefix(segment: str) -> str:
    """The words a rule for this segment keeps: the real program, with its subcommand, script or
    module where it has one; "" when the real command cannot be named safely (offer no rule)."""
    found = words(segment)
    if not found or not PROGRAM_RE.match(found[0]) or found[0] in WRAPPERS:
        return ""
    program, rest = found[0], found[1:]
    if _executes_something_else(program, rest):
        return ""
    if _is_interpreter(program):
        if len(rest) >= 2 and rest[0] == "-m" and SUBCOMMAND_RE.match(rest[1]):
            return f"{program} -m {rest[1]}"
        if rest and SCRIPT_RE.match(rest[0]):
            return f"{program} {rest[0]}"  # a script: the rule names it
        return ""  # -c, -e, options, or code from stdin
    if program in SUBCOMMAND_TOOLS:
        if rest and rest[0].startswith("-"):
            return ""  # options before the subcommand (git -c, git -C, git --git-dir, npm --prefix)
        if not rest or not SUBCOMMAND_RE.match(rest[0]):
            return ""  # no subcommand: a rule for the bare tool would cover all of them
        if (program, rest[0]) not in RUNNER_SUBCOMMANDS:
            return f"{program} {rest[0]}"
        if len(rest) > 1 and SCRIPT_RE.match(rest[1]):
            return f"{program} {rest[0]} {rest[1]}"
        return ""  # "uv run" with options first, or nothing to run
    return program


def _executes_something_else(program: str, arguments: Sequence[str]) -> bool:
    pattern = EXECUTING_ARGUMENTS.get(program)
    return pattern is not None and any(pattern.match(a) for a in arguments)


def command_covered(segment: str, prefix: str) -> bool:
    """Does a rule for commands starting with ``prefix`` answer this one segment?

    The segment must be plain and its real command nameable; the rule's words must start with the
    real command's and the segment's words with the rule's. So a rule kept before these checks
    ("git", "python") covers neither ``git -c x log`` nor ``git push`` nor ``python -c …``."""
    found, wanted, real = words(segment), prefix.split(), command_prefix(segment).split()
    if not found or not wanted or not real:
        return False
    return found[: len(wanted)] == wanted and wanted[: len(real)] == real


def segments_account_for(full: str, segments: Sequence[str]) -> bool:
    """Do the CLI's segments, in order and joined only by ``&&``, ``||``, ``;`` or ``|``, make up the
    whole command line? Anything left over (a subshell's parentheses, a loop, a redirection, a
    comment, a heredoc, a command substitution reported twice) would run unjudged."""
    if not segments:
        return False
    position = 0
    for index, segment in enumerate(segments):
        found = full.find(segment, position)
        if found < 0:
            return False
        gap = full[position:found]
        if index == 0 and gap.strip(" \t"):
            return False
        if index > 0 and not SEPARATOR_RE.fullmatch(gap):
            return False
        position = found + len(segment)
    return not full[position:].strip(" \t")
