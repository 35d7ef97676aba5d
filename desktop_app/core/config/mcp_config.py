"""MCP servers for Agent mode: ``mcp.json`` in the config folder, in the format MCP servers'
READMEs show (``{"mcpServers": {"name": {"command": …, "args": […], "env": {…}}}}``, or
``{"url": …, "headers": {…}}`` for a remote server), so a user can paste what they are given.

Secrets never go into the file: a value whose name says it is one (``GITHUB_TOKEN``,
``Authorization``…), a token on the command line (``--token=…``) or in a URL (``?api_key=…``,
``user:pass@``) must be a reference, ``${NAME}``, filled from the app's environment when a session
starts (in ``env``, ``headers``, ``args``, ``url``, ``command`` and ``cwd``). A pasted literal token
is refused with a message saying what to write instead (``mcp_secrets`` finds them).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core.config import mcp_secrets
from desktop_app.core.config.mcp_secrets import REFERENCE_RE

CONFIG_FILE = "mcp.json"
EXAMPLE = """{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}"}
    },
    "docs": {"url": "https://example.com/mcp", "headers": {"Authorization": "${DOCS_AUTH}"}}
  }
}"""
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")  # the CLI names tools "<server>-<tool>"
LOCAL_KEYS = frozenset({"type", "command", "args", "env", "cwd", "tools", "disabled", "timeout"})
REMOTE_KEYS = frozenset({"type", "url", "headers", "tools", "disabled", "timeout"})


@dataclass(frozen=True)
class McpConfig:
    """Validated servers, as written (references not yet filled in)."""

    servers: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def enabled(self) -> list[str]:
        return [name for name, server in self.servers.items() if not server.get("disabled")]

    def sdk_servers(
        self, environ: Mapping[str, str], working_directory: str
    ) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str]]]:
        """The SDK's ``mcp_servers`` for a session, and (name, why) for each enabled server left
        out (a reference to a variable that is not set)."""
        servers: dict[str, dict[str, Any]] = {}
        problems: list[tuple[str, str]] = []
        for name in self.enabled:
            server = self.servers[name]
            try:
                servers[name] = _to_sdk(server, environ, working_directory)
            except KeyError as missing:
                problems.append((name, f"${{{missing.args[0]}}} is not set in the environment"))
        return servers, problems


def parse(text: str) -> McpConfig:
    """Read ``mcp.json``'s text; ValueError names the first thing that is wrong, and where."""
    if not text.strip():
        return McpConfig()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError('the file must hold an object: {"mcpServers": {…}}')
    servers = data.get("mcpServers", data.get("servers"))
    if servers is None:
        raise ValueError('no "mcpServers" object: {"mcpServers": {"name": {"command": …}}}')
    if not isinstance(servers, dict):
        raise ValueError('"mcpServers" must be an object of servers by name')
    checked: dict[str, dict[str, Any]] = {}
    for name, server in servers.items():
        checked[name] = _check_server(name, server)
    return McpConfig(checked)


def _check_server(name: str, server: Any) -> dict[str, Any]:
    where = f"mcpServers.{name}"
    if not NAME_RE.match(name):
        raise ValueError(f"{where}: a name is 1-40 letters, digits, '-' or '_'")
    if not isinstance(server, dict):
        raise ValueError(f"{where} must be an object")
    remote = "url" in server
    if remote == ("command" in server):
        raise ValueError(f'{where} needs either "command" (a local server) or "url" (a remote one)')
    allowed = REMOTE_KEYS if remote else LOCAL_KEYS
    unknown = sorted(set(server) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown field {unknown[0]!r}")
    kind = server.get("type", "http" if remote else "stdio")
    if kind not in (("http", "sse") if remote else ("stdio", "local")):
        raise ValueError(f"{where}.type: {kind!r} does not fit a {'remote' if remote else 'local'} server")
    _string(server, "url" if remote else "command", where, required=True)
    if remote and not str(server["url"]).startswith(("https://", "http://")):
        raise ValueError(f"{where}.url must start with https:// or http://")
    if remote and not mcp_secrets.url_parses(server["url"]):
        raise ValueError(f"{where}.url is not a valid URL")
    if "cwd" in server:
        _string(server, "cwd", where)
    for key in ("args", "tools"):
        if key in server and not (
            isinstance(server[key], list) and all(isinstance(item, str) for item in server[key])
        ):
            raise ValueError(f"{where}.{key} must be a list of strings")
    if "disabled" in server and not isinstance(server["disabled"], bool):
        raise ValueError(f"{where}.disabled must be true or false")
    if "timeout" in server and not (isinstance(server["timeout"], int) and server["timeout"] > 0):
        raise ValueError(f"{where}.timeout must be a positive number of milliseconds")
    for key in ("env", "headers"):
        values = server.get(key, {})
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise ValueError(f"{where}.{key} must be an object of strings")
        for variable, value in values.items():
            if mcp_secrets.named_value_is_secret(variable, value):
                raise ValueError(
                    f"{where}.{key}.{variable} looks like a secret: keep it out of the file. Set it in "
                    f'your environment and write "${{{_suggest(variable)}}}" here.'
                )
    _check_secrets_in_words(server, where)
    return dict(server)


def _check_secrets_in_words(server: dict[str, Any], where: str) -> None:
    """A token in ``args``, the ``url``, the ``command`` or ``cwd`` is refused like one in ``env``."""
    args: list[str] = server.get("args", [])
    found = mcp_secrets.secret_in_args(args)
    if found is not None:
        index, name = found
        raise ValueError(
            f"{where}.args[{index}] looks like a secret: keep it out of the file. Set it in your "
            f'environment and write "${{{name}}}" in its place.'
        )
    if "url" in server:
        problem = mcp_secrets.secret_in_url(server["url"])
        if problem is not None:
            what, name = problem
            raise ValueError(
                f"{where}.url holds {what}: keep secrets out of the file. Set it in your environment "
                f'and write "${{{name}}}" in its place (as in "https://host/mcp?key=${{{name}}}").'
            )
    for key in ("command", "cwd"):
        if isinstance(server.get(key), str) and mcp_secrets.token_in(server[key]):
            raise ValueError(f"{where}.{key} looks like it holds a token: use a ${{NAME}} reference.")


def _string(server: dict[str, Any], key: str, where: str, required: bool = False) -> None:
    value = server.get(key)
    if (required or key in server) and not (isinstance(value, str) and value.strip()):
        raise ValueError(f"{where}.{key} must be a non-empty string")


def _suggest(variable: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", variable).upper()
    return name if name[:1].isalpha() or name[:1] == "_" else f"_{name}"


def _fill(value: str, environ: Mapping[str, str]) -> str:
    return REFERENCE_RE.sub(lambda match: environ[match.group(1)], value)


def _to_sdk(server: dict[str, Any], environ: Mapping[str, str], working_directory: str) -> dict[str, Any]:
    """One server as the SDK takes it (``MCPStdioServerConfig`` / ``MCPHTTPServerConfig``)."""
    tools = list(server.get("tools", ["*"]))
    config: dict[str, Any]
    if "url" in server:
        config = {"type": server.get("type", "http"), "url": _fill(server["url"], environ), "tools": tools}
        headers = {k: _fill(v, environ) for k, v in server.get("headers", {}).items()}
        if headers:
            config["headers"] = headers
    else:
        config = {
            "type": "local",
            "command": _fill(server["command"], environ),
            "args": [_fill(arg, environ) for arg in server.get("args", [])],
            "tools": tools,
            "working_directory": _fill(server.get("cwd", working_directory), environ),
        }
        env = {k: _fill(v, environ) for k, v in server.get("env", {}).items()}
        if env:
            config["env"] = env
    if "timeout" in server:
        config["timeout"] = server["timeout"]
    return config


def load_mcp_config(config_dir: Path) -> tuple[McpConfig, str, str | None]:
    """(the config, the file's text, a problem to show): a broken file is left as it is and no
    server is used until it is fixed in Settings."""
    path = config_dir / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return McpConfig(), "", None
    except (OSError, UnicodeDecodeError) as exc:
        return McpConfig(), "", f"Could not read {path}: {exc}. No MCP servers are used."
    try:
        return parse(text), text, None
    except ValueError as exc:
        return McpConfig(), text, f"{path}: {exc}. No MCP servers are used until it is fixed."


def save_mcp_config(config_dir: Path, text: str) -> McpConfig:
    """Check, then write atomically; ValueError (nothing written) if the text is not valid."""
    config = parse(text)
    config_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=config_dir, prefix=".mcp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") or not text else text + "\n")
        os.replace(tmp, config_dir / CONFIG_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return config
