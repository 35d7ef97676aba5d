"""The rule book against an attacker, part two: URLs and paths built to slip past a kept rule
(commands are in ``test_permissions_adversarial``, whose docstring lists the decisions made)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import ada_url
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from desktop_app.core.permissions.paths import too_broad
from desktop_app.core.permissions.rules import RuleBook, covers, describe, rule_applies
from desktop_app.core.permissions.urls import url_host
from desktop_app.core.vocabulary.permission_requests import PermissionPrompt, RequestKind, Rule, RuleScope
from tests.unit.permissions.test_permissions_adversarial import command_rule, shell

# -- URLs ---------------------------------------------------------------------------------------------


def url(u: str) -> PermissionPrompt:
    return describe(SimpleNamespace(kind="url", url=u, intention="", tool_call_id="t"))


EXAMPLE = Rule(RequestKind.URL, RuleScope.DOMAIN, "example.com")


@pytest.mark.parametrize(
    "hostile",
    [
        "https://example.com.evil.com/",
        "https://evil.com\\@example.com/",
        "https://evil.com\\example.com",
        "https:\\\\example.com\\@evil.com",
        "https://example.com@evil.com/",
        "https://example.com:443@evil.com/",
        "https://user:pw@example.com/",  # user-info at all: asked again
        "https://@example.com/",
        "https://evil.com#@example.com",
        "https://evil.com?@example.com",
        "https://evil.com/https://example.com",
        "https://evilexample.com/",
        "https://example.com%2eevil.com/",
        "https://%65xample.com/",
        "http://exa\tmple.com/",
        "http://exa\nmple.com/",
        "http://example.com\t/",
        " https://example.com/",
        "https://example.com\x00.evil.com/",
        "https://ex\u0430mple.com/",  # a Cyrillic a: another host (xn--…)
        "https://xn--exmple-cua.com/",
        "https://example.com./",  # a trailing dot: asked again
        "https://example.com..",
        "ftp://example.com/",
        "file://example.com/etc/passwd",
        "javascript://example.com/%0aalert(1)",
        "//example.com/",
        "example.com",
        "https://[::1]/",
        "https://{example.com}/",
        "",
    ],
)
def test_a_domain_rule_covers_no_lookalike(hostile: str) -> None:
    prompt = url(hostile)
    assert not covers(EXAMPLE, prompt, None)
    for option in prompt.options:  # anything offered is the host the fetch would really reach
        assert option.values == (str(ada_url.URL(hostile).hostname),)
        assert option.values != ("example.com",)


@pytest.mark.parametrize(
    "ambiguous",
    [
        "https://evil.com\\@example.com/",
        "https://a@evil.com/",
        "http://exa\tmple.com/",
        "https://example.com./",
        "https://example.com%2eevil.com/",
        "https://exa mple.com/",
    ],
)
def test_an_ambiguous_url_offers_no_domain_rule(ambiguous: str) -> None:
    assert url(ambiguous).options == ()


def test_a_domain_rule_covers_its_host_and_subdomains_and_says_so() -> None:
    for fine in ("https://example.com/", "https://EXAMPLE.com/x", "http://docs.example.com:8080/a?b#c"):
        assert covers(EXAMPLE, url(fine), None), fine
    [option] = url("https://docs.example.com/").options
    assert option.values == ("docs.example.com",)
    assert option.label == "URLs on docs.example.com and its subdomains"
    [idn] = url("https://exämple.com/").options
    assert idn.values == ("xn--exmple-cua.com",)  # shown as it is reached: no lookalike in a label
    loopback = Rule(RequestKind.URL, RuleScope.DOMAIN, "127.0.0.1")
    assert url("http://127.0.0.1:9/").options[0].label == "URLs on 127.0.0.1"  # an address: only itself
    assert covers(loopback, url("http://0x7f.1/"), None)  # the same address, written otherwise
    assert not covers(loopback, url("http://127.0.0.1.evil.com/"), None)


HOSTILE_PIECES = st.sampled_from(
    ["example.com", "evil.com", ".", "@", "\\", "/", "#", "?", ":", "%2e", "%40", "\t", " ", "\x00",
     "xn--", "ä", "а", "docs", "443", "[", "]", "user", "//"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["https://", "http://", "https:\\\\", "HTTPS://", "ftp://", "", "https:/"]),
    st.lists(HOSTILE_PIECES, max_size=8),
)
def test_property_a_covered_url_reaches_example_com_by_every_reading(scheme: str, pieces: list[str]) -> None:
    candidate = scheme + "".join(pieces)
    if not covers(EXAMPLE, url(candidate), None):
        return
    host = str(ada_url.URL(candidate).hostname)
    assert host == "example.com" or host.endswith(".example.com")  # as browsers and Node read it
    split = urlsplit(candidate)
    assert split.scheme.lower() in ("http", "https") and not split.username and not split.password
    legacy = (split.hostname or "").rstrip(".")
    assume(legacy.isascii())
    assert legacy == host  # and Python's reading agrees


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_property_any_text_as_a_url_is_judged_without_raising(text: str) -> None:
    prompt = url(text)
    for option in prompt.options:
        assert url_host(text) == option.values[0]
    covers(EXAMPLE, prompt, None)


# -- paths --------------------------------------------------------------------------------------------


def write(path: str) -> PermissionPrompt:
    return describe(SimpleNamespace(kind="write", file_name=path, diff="", intention="", tool_call_id="t"))


def read(path: str) -> PermissionPrompt:
    return describe(SimpleNamespace(kind="read", path=path, intention="", tool_call_id="t"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp/home/proj`` with ``link`` -> ``tmp/etc``, a file, and HOME at ``tmp/home``."""
    home = tmp_path / "home"
    proj = home / "proj"
    (proj / "src").mkdir(parents=True)
    (proj / "src" / "a.py").write_text("x")
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd").write_text("root")
    (proj / "link").symlink_to(tmp_path / "etc")
    (home / "proj-other").mkdir()
    (tmp_path / "alias").symlink_to(proj)
    monkeypatch.setenv("HOME", str(home))
    return proj


def path_rule(value: Path | str, kind: RequestKind = RequestKind.WRITE) -> Rule:
    return Rule(kind, RuleScope.PATH, str(value))


def test_a_path_rule_covers_no_escape(project: Path) -> None:
    rule = path_rule(project)
    assert covers(rule, write(str(project / "src" / "a.py")), None)
    assert covers(rule, write(str(project / "new" / "b.py")), None)  # not there yet: still inside
    for escape in (
        f"{project}/../../etc/passwd",
        f"{project}/src/../../proj-other/x",
        f"{project}-other/x",
        str(project.parent / "proj-other" / "x"),
        f"{project}/link/passwd",  # a symlink inside the folder pointing out of it
        f"{project}/link",
        "src/a.py",  # relative: of what?
        "",
        f"{project}/\x00x",
    ):
        assert not covers(rule, write(escape), None), escape
    # The rule's own folder is compared as a real path too: a rule kept through a symlink is the
    # real folder's, and a symlink out of it is still out.
    via_alias = path_rule(project.parent.parent / "alias")
    assert covers(via_alias, write(str(project / "src" / "a.py")), None)
    assert not covers(via_alias, write(f"{project}/link/passwd"), None)


def test_offered_path_scopes_are_real_paths(project: Path) -> None:
    prompt = write(f"{project}/link/passwd")
    real = os.path.realpath(project.parent.parent / "etc" / "passwd")
    assert [o.values for o in prompt.options] == [(os.path.dirname(real),), (real,)]
    assert all(str(project) not in o.label for o in prompt.options)  # the label says where it goes
    dotted = write(f"{project}/src/../src/./a.py")
    assert dotted.options[0].values == (str(project / "src"),)


def test_the_root_and_the_home_folder_are_never_offered_nor_covered(project: Path) -> None:
    home = project.parent
    for path in ("/", str(home), str(home.parent), "/etc/..", f"{home}/.", f"{project}/.."):
        assert too_broad(path), path
        assert read(path).options == (), path
    for path in (f"{home}/.bashrc", "/vmlinuz"):
        prompt = write(path)
        offered = [v for o in prompt.options for v in o.values]
        assert offered == [os.path.realpath(path)], offered  # the file only, not its folder
    for broad in ("/", str(home), str(home.parent)):
        assert not covers(path_rule(broad), write(f"{home}/.bashrc"), None)  # a kept one covers nothing
        assert not covers(path_rule(broad, RequestKind.READ), read(str(project / "src")), None)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["src", "a.py", "..", ".", "link", "passwd", "proj", "x", ""]), max_size=6))
def test_property_a_covered_path_is_really_inside(project: Path, parts: list[str]) -> None:
    candidate = os.path.join(str(project), *parts) if parts else str(project)
    if covers(path_rule(project), write(candidate), None):
        real, folder = Path(os.path.realpath(candidate)), Path(os.path.realpath(project))
        assert real == folder or folder in real.parents
        assert "etc" not in real.relative_to(folder).parts
    for option in write(candidate).options:
        assert not too_broad(option.values[0]) and os.path.isabs(option.values[0])


def test_no_request_kind_mixes_with_another(project: Path) -> None:
    prompt: Any = write(str(project / "src" / "a.py"))
    assert not covers(path_rule(project, RequestKind.READ), prompt, None)
    assert not covers(command_rule(str(project)), prompt, None)


def test_a_rule_kept_before_the_checks_grew_stricter_says_it_no_longer_applies(project: Path) -> None:
    home = project.parent
    stale = [
        command_rule("git"),
        command_rule("python"),
        command_rule("npm run"),
        command_rule("sudo"),
        path_rule("/"),
        path_rule(home),
        Rule(RequestKind.URL, RuleScope.DOMAIN, "user@example.com"),
    ]
    for rule in stale:
        assert not rule_applies(rule), rule
    for rule in (command_rule("git log"), command_rule("ls"), path_rule(project), EXAMPLE):
        assert rule_applies(rule), rule
    # And the stale ones answer nothing they might once have.
    book = RuleBook(stale)
    for prompt in (shell("git push"), shell("python -c x"), shell("npm run evil"), write(f"{home}/.bashrc")):
        assert book.match(prompt, None) is None
