"""Removing a sign-in from the CLI's config file, for when the CLI's own sign-out fails."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.copilot.account.stored_sign_in import (
    forget_stored_sign_in,
    split_header,
    without_account,
)

HEADER = "// User settings belong in settings.json.\n// This file is managed automatically.\n"
CONFIG = {
    "firstLaunchAt": "2026-12-02T03:58:35.586Z",
    "authTokens": {
        "https://github.com:octocat:github": {"token": "gho_one"},
        "https://github.com:octocat": {"token": "gho_one"},
        "https://github.com:hubot": {"token": "gho_two"},
    },
    "loggedInUsers": [
        {"host": "https://github.com", "login": "octocat", "kind": "githubDotCom"},
        {"host": "https://github.com", "login": "hubot", "kind": "githubDotCom"},
    ],
    "lastLoggedInUser": {"host": "https://github.com", "login": "octocat"},
}


def write(path: Path, config: Any, header: str = HEADER) -> None:
    path.write_text(header + json.dumps(config, indent=2) + "\n", encoding="utf-8")


def test_only_that_accounts_entries_go(tmp_path: Path) -> None:
    config_file = tmp_path / "config.json"
    write(config_file, CONFIG)
    config_file.chmod(0o600)
    assert forget_stored_sign_in(config_file, "https://github.com", "octocat")
    header, body = split_header(config_file.read_text(encoding="utf-8"))
    assert header == HEADER
    left = json.loads(body)
    assert left["authTokens"] == {"https://github.com:hubot": {"token": "gho_two"}}
    assert [u["login"] for u in left["loggedInUsers"]] == ["hubot"]
    assert "lastLoggedInUser" not in left and left["firstLaunchAt"] == CONFIG["firstLaunchAt"]
    assert "gho_one" not in config_file.read_text(encoding="utf-8")
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600  # a new file, made 0600, renamed over
    assert not forget_stored_sign_in(config_file, "https://github.com", "octocat")  # nothing left


def test_a_login_that_prefixes_another_is_not_taken_with_it() -> None:
    config = {"authTokens": {"https://github.com:octo": {"token": "a"}, "https://github.com:octocat": {}}}
    assert without_account(config, "https://github.com", "octo")["authTokens"] == {
        "https://github.com:octocat": {}
    }


def test_a_file_it_cannot_read_is_left_alone(tmp_path: Path) -> None:
    config_file = tmp_path / "config.json"
    assert not forget_stored_sign_in(config_file, "https://github.com", "octocat")  # missing
    config_file.write_text("// header\n{ not json", encoding="utf-8")
    assert not forget_stored_sign_in(config_file, "https://github.com", "octocat")
    assert config_file.read_text(encoding="utf-8") == "// header\n{ not json"
    write(config_file, ["a", "list"])
    assert not forget_stored_sign_in(config_file, "https://github.com", "octocat")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)


@given(
    st.dictionaries(st.sampled_from(["authTokens", "loggedInUsers", "lastLoggedInUser", "x"]), json_values)
)
def test_any_shape_of_config_is_handled_and_other_keys_kept(config: dict[str, Any]) -> None:
    result = without_account(config, "https://github.com", "octocat")
    assert set(result) <= set(config)
    assert result.get("x") == config.get("x")
    json.dumps(result)
