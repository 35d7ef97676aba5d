"""Whether a value pasted into ``mcp.json`` is a literal secret, wherever in a server it sits.

A token belongs in the user's environment, named in the file as ``${NAME}``: the file is plain
JSON in the config folder, copied into backups and bug reports. READMEs put tokens in four places,
so all four are checked: ``env`` and ``headers`` values (by their name or their look), command-line
``args`` (``--token=…``, ``--api-key …``, ``KEY=…``, ``Authorization: …``, or a token-looking word),
and URLs (user-info, a query or fragment parameter named like a secret, or a token-looking word),
URLs parsed the way browsers do (WHATWG, ``ada_url``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import ada_url

REFERENCE_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A name that says its value is a secret (env variables, headers, query parameters).
SECRET_NAME_RE = re.compile(r"token|secret|password|passwd|api[_-]?key|auth|credential|cookie", re.I)
# On the command line "auth" alone is too broad (``--auth-type oauth``): the names that say "secret".
_SECRET_FLAG_RE = re.compile(
    r"token|secret|password|passwd|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential"
    r"|cookie|bearer|authorization",
    re.I,
)
_SECRET_PARAM_RE = re.compile(rf"{SECRET_NAME_RE.pattern}|^(key|sig|signature|code|pat)$", re.I)
SECRET_VALUE_RE = re.compile(r"^(Bearer\s+)?(ghp_|gho_|ghs_|github_pat_|sk-|xox[abp]-|AKIA|glpat-)")
# The same looks found anywhere in a longer text, with enough characters after to be a real token.
_TOKEN_IN_TEXT_RE = re.compile(
    r"(?<![A-Za-z0-9])(gh[pousr]_|github_pat_|sk-|xox[abpr]-|AKIA|glpat-|AIza)[A-Za-z0-9_\-]{10,}"
)
_FLAG_RE = re.compile(r"^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$", re.S)
_ASSIGNMENT_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$", re.S)
_HEADER_RE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$", re.S)
_PLACEHOLDER = "zzref{}zz"


def is_reference(value: str) -> bool:
    """Only references (and an optional ``Bearer``/``Basic`` scheme): nothing literal to leak."""
    rest = re.sub(r"^(Bearer|Basic|token)\s+", "", value.strip(), flags=re.I)
    return bool(rest) and not REFERENCE_RE.sub("", rest).strip()


def _literal(value: str) -> bool:
    return bool(value.strip()) and not is_reference(value)


def named_value_is_secret(name: str, value: str) -> bool:
    """An ``env`` or ``headers`` entry: secret by its name or by the look of its value."""
    return not is_reference(value) and bool(SECRET_NAME_RE.search(name) or SECRET_VALUE_RE.match(value))


def token_in(text: str) -> bool:
    """A token-looking word anywhere in ``text`` (references are not searched: they hold names)."""
    return bool(_TOKEN_IN_TEXT_RE.search(REFERENCE_RE.sub("", text)))


def url_parses(url: str) -> bool:
    """Whether ``url`` (references standing for plain words) is a URL a browser would accept."""
    return ada_url.check_url(REFERENCE_RE.sub("ref", url))


def secret_in_args(args: Sequence[str]) -> tuple[int, str] | None:
    """The index of the first argument that holds a literal secret and a variable name to suggest
    for it, or None."""
    for k, arg in enumerate(args):
        if token_in(arg):
            return k, "TOKEN"
        if arg.startswith(("https://", "http://")):
            in_url = secret_in_url(arg)
            if in_url is not None:
                return k, in_url[1]
        flag = _FLAG_RE.match(arg)
        if flag and _SECRET_FLAG_RE.search(flag.group(1)):
            value = flag.group(2)
            if value is None:  # ``--token VALUE``: the next argument is the value
                following = args[k + 1] if k + 1 < len(args) else ""
                if following and not following.startswith("-") and _literal(following):
                    return k + 1, reference_name(flag.group(1))
            elif _literal(value):
                return k, reference_name(flag.group(1))
            continue
        # ``NAME=value`` (as ``docker run -e`` takes it) and ``Header: value`` (as ``mcp-remote``).
        for pattern, names in ((_ASSIGNMENT_RE, _SECRET_FLAG_RE), (_HEADER_RE, SECRET_NAME_RE)):
            found = pattern.match(arg)
            if found and names.search(found.group(1)) and _literal(found.group(2)):
                return k, reference_name(found.group(1))
    return None


def secret_in_url(url: str) -> tuple[str, str] | None:
    """What in ``url`` is a literal secret ("a user name or password", "the query parameter
    'api_key'"...) and a variable name to suggest for it; None when it holds none."""
    if token_in(url):
        return "a token", "URL_TOKEN"
    # References become plain words, so a URL that is all references parses and shows none.
    refs: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        refs.append(match.group(0))
        return _PLACEHOLDER.format(len(refs) - 1)

    try:
        parsed = ada_url.URL(REFERENCE_RE.sub(placeholder, url))
    except ValueError:
        return None  # the caller names an unparsable URL as such
    placeholders = re.compile(r"(zzref\d+zz)*")
    if (parsed.username and not placeholders.fullmatch(parsed.username)) or (
        parsed.password and not placeholders.fullmatch(parsed.password)
    ):
        return "a user name or password (user:pass@)", "URL_PASSWORD"
    for part, label in ((parsed.search, "query"), (parsed.hash, "fragment")):
        for name, value in ada_url.URLSearchParams(part.lstrip("?#")).items():
            if _SECRET_PARAM_RE.search(name) and value and not placeholders.fullmatch(value):
                return f"the {label} parameter {name!r}", reference_name(name)
    return None


def reference_name(name: str) -> str:
    """A ``${NAME}`` to suggest for a value called ``name``."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name.lstrip("-")).upper().strip("_") or "SECRET"
    return cleaned if cleaned[:1].isalpha() else f"_{cleaned}"
