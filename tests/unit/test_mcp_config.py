"""mcp.json: what MCP servers' READMEs show is accepted, mistakes are named, secrets stay out."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from desktop_app.core.mcp_config import (
    CONFIG_FILE,
    EXAMPLE,
    McpConfig,
    load_mcp_config,
    parse,
    save_mcp_config,
)


def config(**servers: object) -> str:
    return json.dumps({"mcpServers": servers})


def test_the_example_is_valid_and_both_kinds_reach_the_sdk() -> None:
    parsed = parse(EXAMPLE)
    assert parsed.enabled == ["github", "docs"]
    env = {"GITHUB_TOKEN": "t0k", "DOCS_AUTH": "Bearer abc"}
    servers, problems = parsed.sdk_servers(env, "/work")
    assert problems == []
    assert servers["github"] == {
        "type": "local",
        "command": "npx",
        "args": ["-y", "@modelcontextprotocol/server-github"],
        "tools": ["*"],
        "working_directory": "/work",
        "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "t0k"},
    }
    assert servers["docs"] == {
        "type": "http",
        "url": "https://example.com/mcp",
        "tools": ["*"],
        "headers": {"Authorization": "Bearer abc"},
    }


def test_a_missing_variable_leaves_that_server_out_and_says_why() -> None:
    servers, problems = parse(EXAMPLE).sdk_servers({"DOCS_AUTH": "x"}, "/w")
    assert list(servers) == ["docs"]
    assert problems == [("github", "${GITHUB_TOKEN} is not set in the environment")]


def test_disabled_servers_tools_cwd_and_timeout() -> None:
    text = config(
        off={"command": "a", "disabled": True},
        on={"command": "b", "cwd": "/srv", "tools": ["read"], "timeout": 5000, "type": "stdio"},
    )
    servers, _ = parse(text).sdk_servers({}, "/w")
    assert list(servers) == ["on"]
    assert servers["on"]["working_directory"] == "/srv"
    assert servers["on"]["tools"] == ["read"] and servers["on"]["timeout"] == 5000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "must hold an object"),
        ('{"servers": 3}', '"mcpServers" must be an object'),
        ('{"other": {}}', 'no "mcpServers"'),
        (config(**{"bad name": {"command": "x"}}), "a name is 1-40 letters"),
        (config(x={"command": "a", "url": "https://b"}), 'either "command"'),
        (config(x={}), 'either "command"'),
        (config(x={"command": ""}), "mcpServers.x.command must be a non-empty string"),
        (config(x={"command": "a", "args": "-v"}), "mcpServers.x.args must be a list of strings"),
        (config(x={"command": "a", "colour": "red"}), "unknown field 'colour'"),
        (config(x={"url": "ftp://a"}), "must start with https://"),
        (config(x={"url": "https://a", "type": "stdio"}), "does not fit a remote server"),
        (config(x={"command": "a", "env": {"N": 1}}), "mcpServers.x.env must be an object of strings"),
        (config(x={"command": "a", "disabled": "yes"}), "disabled must be true or false"),
        (config(x={"command": "a", "timeout": -1}), "timeout must be a positive"),
    ],
)
def test_mistakes_are_named_with_where_they_are(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("*", r"\*")):
        parse(text)


@pytest.mark.parametrize(
    ("server", "where", "suggested"),
    [
        ({"command": "a", "env": {"GITHUB_TOKEN": "ghp_abc"}}, "env.GITHUB_TOKEN", "GITHUB_TOKEN"),
        ({"command": "a", "env": {"api-key": "plain"}}, "env.api-key", "API_KEY"),
        (
            {"url": "https://a", "headers": {"Authorization": "Bearer xyz"}},
            "headers.Authorization",
            "AUTHORIZATION",
        ),
        ({"command": "a", "env": {"GH": "github_pat_123"}}, "env.GH", "GH"),  # a token by its look
    ],
)
def test_a_pasted_secret_is_refused_with_what_to_write_instead(
    server: dict[str, object], where: str, suggested: str
) -> None:
    with pytest.raises(ValueError, match="looks like a secret") as refused:
        parse(config(s=server))
    assert f"mcpServers.s.{where}" in str(refused.value) and f"${{{suggested}}}" in str(refused.value)


def test_references_and_plain_settings_are_fine() -> None:
    parse(config(s={"command": "a", "env": {"GITHUB_TOKEN": "${GH}", "DEBUG": "1"}}))
    parse(config(s={"url": "https://a", "headers": {"Authorization": "Bearer ${T}"}}))


def test_save_checks_first_and_writes_atomically(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        save_mcp_config(tmp_path, "{broken")
    assert not (tmp_path / CONFIG_FILE).exists()
    saved = save_mcp_config(tmp_path, EXAMPLE)
    assert saved.enabled == ["github", "docs"]
    loaded, text, problem = load_mcp_config(tmp_path)
    assert problem is None and loaded == saved and text.strip() == EXAMPLE.strip()
    assert [p.name for p in tmp_path.iterdir()] == [CONFIG_FILE]  # no temporary file left


def test_a_broken_file_is_kept_and_reported_and_no_server_runs(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text('{"mcpServers": {"x": {"command": 3}}}', encoding="utf-8")
    loaded, text, problem = load_mcp_config(tmp_path)
    assert loaded == McpConfig() and "command" in text
    assert problem is not None and "mcpServers.x.command" in problem and "No MCP servers" in problem
    assert os.path.exists(tmp_path / CONFIG_FILE)  # left for the user to fix


def test_no_file_and_an_empty_file_mean_no_servers(tmp_path: Path) -> None:
    assert load_mcp_config(tmp_path) == (McpConfig(), "", None)
    assert parse("  \n") == McpConfig()
