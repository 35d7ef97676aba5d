"""mcp.json: what MCP servers' READMEs show is accepted, mistakes are named, secrets stay out."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.config.mcp_config import (
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


# -- secrets in args and URLs ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "index", "suggested"),
    [
        (["--token=ghp_0123456789abcdefghij"], 0, "TOKEN"),
        (["-y", "--token=hunter2"], 1, "TOKEN"),
        (["--api-key", "plain-words"], 1, "API_KEY"),
        (["--password", "p@ss"], 1, "PASSWORD"),
        (["run", "-e", "GITHUB_TOKEN=abc123"], 2, "GITHUB_TOKEN"),
        (["--header", "Authorization: Bearer abc.def"], 1, "AUTHORIZATION"),
        (["server", "sk-proj-0123456789abcdef"], 1, "TOKEN"),  # a token by its look
        (["https://x.test/mcp?api_key=sk-1"], 0, "API_KEY"),
        (["https://x.test/mcp?api_key=abc"], 0, "API_KEY"),
        (["https://me:secret@x.test/mcp"], 0, "URL_PASSWORD"),
    ],
)
def test_a_secret_in_args_is_refused(args: list[str], index: int, suggested: str) -> None:
    with pytest.raises(ValueError, match="looks like a secret") as refused:
        parse(config(s={"command": "npx", "args": args}))
    assert f"mcpServers.s.args[{index}]" in str(refused.value)
    assert f"${{{suggested}}}" in str(refused.value)


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("https://x.test/?api_key=sk-0123456789abcdef", "a token"),
        ("https://x.test/mcp?api_key=literal", "the query parameter 'api_key'"),
        ("https://x.test/mcp?access_token=abc&x=1", "the query parameter 'access_token'"),
        ("https://x.test/mcp?key=AIzaabc", "the query parameter 'key'"),
        ("https://user:pass@x.test/mcp", "a user name or password"),
        ("https://user@x.test/mcp", "a user name or password"),
        ("https://${USER}:hunter2@x.test/mcp", "a user name or password"),
        ("https://x.test/mcp#access_token=abc", "the fragment parameter 'access_token'"),
        ("https://x.test/ghp_0123456789abcdefghij/mcp", "a token"),
    ],
)
def test_a_secret_in_the_url_is_refused(url: str, what: str) -> None:
    with pytest.raises(ValueError, match="keep secrets out of the file") as refused:
        parse(config(s={"url": url}))
    assert f"mcpServers.s.url holds {what}" in str(refused.value)
    assert "${" in str(refused.value)


@pytest.mark.parametrize(
    "args",
    [
        ["-y", "@modelcontextprotocol/server-github"],
        ["--auth-type", "oauth"],  # "auth" alone on the command line is not a secret
        ["--token=${GH_TOKEN}"],
        ["--api-key", "${KEY}"],
        ["--token", "--verbose"],
        ["-e", "GITHUB_TOKEN"],  # passes the variable through, holds no value
        ["--header", "Authorization: Bearer ${AUTH}"],
        ["--disk-cache", "task-runner", "sk-learn"],
        ["https://x.test/mcp?api_key=${KEY}&page=2", "https://${U}:${P}@x.test/"],
    ],
)
def test_args_without_a_literal_secret_are_fine(args: list[str]) -> None:
    parse(config(s={"command": "npx", "args": args}))


@pytest.mark.parametrize(
    "url",
    ["https://x.test/mcp?api_key=${KEY}", "https://${USER}:${PASS}@x.test/", "https://x.test/mcp?page=2"],
)
def test_urls_with_references_or_no_secret_are_fine(url: str) -> None:
    parse(config(s={"url": url}))


def test_references_in_args_and_url_are_filled_in() -> None:
    text = config(
        local={"command": "npx", "args": ["--token=${GH}", "--api-key", "${KEY}", "https://h/?k=${KEY}"]},
        remote={"url": "https://${U}:${P}@x.test/mcp?api_key=${KEY}"},
    )
    env = {"GH": "ghp_real", "KEY": "k-1", "U": "me", "P": "pw"}
    servers, problems = parse(text).sdk_servers(env, "/w")
    assert problems == []
    assert servers["local"]["args"] == ["--token=ghp_real", "--api-key", "k-1", "https://h/?k=k-1"]
    assert servers["remote"]["url"] == "https://me:pw@x.test/mcp?api_key=k-1"
    servers, problems = parse(text).sdk_servers({"GH": "x"}, "/w")
    assert problems == [
        ("local", "${KEY} is not set in the environment"),
        ("remote", "${U} is not set in the environment"),
    ]


def test_a_url_that_does_not_parse_is_named() -> None:
    with pytest.raises(ValueError, match=r"mcpServers\.s\.url is not a valid URL"):
        parse(config(s={"url": "https://[::1/mcp"}))


def test_a_token_in_the_command_is_refused() -> None:
    with pytest.raises(ValueError, match="command looks like it holds a token"):
        parse(config(s={"command": "/bin/run-with-ghp_0123456789abcdefghij"}))


WORDS = st.text(max_size=30) | st.sampled_from(
    ["--token", "--token=x", "${A}", "https://a:b@h/?key=v", "ghp_"]
)


@settings(max_examples=200, deadline=None)
@given(
    args=st.lists(WORDS, max_size=6),
    url=WORDS.map(lambda w: "https://" + w),
    env=st.dictionaries(st.text(max_size=10), WORDS, max_size=3),
)
def test_any_server_parses_or_is_refused_with_a_reason(
    args: list[str], url: str, env: dict[str, str]
) -> None:
    for server in ({"command": "npx", "args": args, "env": env}, {"url": url, "headers": env}):
        try:
            parsed = parse(config(s=server))
        except ValueError as exc:
            assert str(exc).startswith("mcpServers.s")
            continue
        parsed.sdk_servers({}, "/w")  # a missing variable is a problem, not an exception
