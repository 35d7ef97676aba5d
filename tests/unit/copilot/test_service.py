"""The service's states and a session's life on it: a CLI that cannot start says why, a crash is
noticed only while the CLI runs, and a session resumes on whichever CLI runs now.

Real CLI and real SDK (the scripted demo model answers): nothing here is mocked.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.config.mcp_config import McpConfig
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.copilot.service import CopilotService, ServiceState
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.copilot_errors import CopilotUnavailableError
from desktop_app.core.vocabulary.events import ChatEvent, CliExited, Idle, TextDelta
from desktop_app.core.vocabulary.permission_requests import Choice
from desktop_app.core.vocabulary.targets import ChatTarget, Source
from tests.conftest import wait_until
from tests.e2e.test_chat_e2e import kill_cli

DEMO = ChatTarget(Source.DEMO)


@pytest.mark.asyncio
async def test_a_missing_cli_fails_with_a_readable_error_each_time(tmp_path: Path) -> None:
    service = CopilotService(AppPaths.under(tmp_path), cli_path=str(tmp_path / "no-such-copilot"))
    with pytest.raises(CopilotUnavailableError, match="is not an executable file"):
        await service.start()
    assert service.state is ServiceState.FAILED and not service.running
    assert "no-such-copilot" in service.error
    with pytest.raises(CopilotUnavailableError, match="no-such-copilot"):
        service.client  # noqa: B018
    with pytest.raises(CopilotUnavailableError):  # a send restarts it, and hears why again
        await service.ensure_running()
    await service.stop()
    assert service.state is ServiceState.STOPPED


@pytest.mark.expected_warnings  # the failed start is logged
@pytest.mark.asyncio
async def test_a_cli_that_exits_at_start_is_explained(tmp_path: Path) -> None:
    fake = tmp_path / "copilot"
    fake.write_text("#!/bin/sh\necho 'fatal: scripted start-up failure' >&2\nexit 3\n")
    fake.chmod(0o755)
    service = CopilotService(AppPaths.under(tmp_path), cli_path=str(fake))
    try:
        with pytest.raises(CopilotUnavailableError, match="Could not start the Copilot CLI"):
            await service.start()
        assert service.state is ServiceState.FAILED and service.generation == 0
    finally:
        await service.stop()


def test_a_crash_counts_only_while_the_cli_runs(tmp_path: Path) -> None:
    service = CopilotService(AppPaths.under(tmp_path))
    service.mark_exited(RuntimeError("gone"))
    assert service.state is ServiceState.STOPPED and service.error == ""


def test_mcp_servers_go_to_agent_sessions_only_and_unset_references_are_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVICE_TEST_TOKEN", "t0ken")
    monkeypatch.delenv("SERVICE_TEST_UNSET", raising=False)
    service = CopilotService(AppPaths.under(tmp_path))
    service.mcp = McpConfig(
        {
            "good": {"command": "npx", "env": {"GITHUB_TOKEN": "${SERVICE_TEST_TOKEN}"}},
            "bad": {"command": "npx", "env": {"GITHUB_TOKEN": "${SERVICE_TEST_UNSET}"}},
        }
    )
    options, left_out = service.session_options(DEMO, ToolAccess(Mode.AGENT, str(tmp_path)))
    assert list(options["mcp_servers"]) == ["good"]
    assert [name for name, _why in left_out] == ["bad"] and "SERVICE_TEST_UNSET" in left_out[0][1]
    options, left_out = service.session_options(DEMO, ToolAccess())
    assert "mcp_servers" not in options and left_out == []


def _shell_request() -> dict[str, Any]:
    return {"kind": "shell", "full_command_text": "ls", "command_segments": [{"full_command_text": "ls"}]}


@pytest.mark.asyncio
async def test_a_session_the_cli_dropped_ends_its_reply_and_denies_what_waits(tmp_path: Path) -> None:
    session = ChatSession(CopilotService(AppPaths.under(tmp_path)), DEMO)
    events: list[ChatEvent] = []
    session.events.subscribe(events.append)
    assert session.stale  # never attached to a CLI
    session.cli_exited("The Copilot CLI stopped unexpectedly.")
    assert events == []  # nothing was replying
    asked = asyncio.ensure_future(session.permissions.decide(_shell_request()))
    await asyncio.sleep(0)
    session.busy = True
    session.cli_exited("The Copilot CLI stopped unexpectedly.")
    _prompt, answer = await asked
    assert answer.choice is Choice.DENY and answer.message == "The Copilot CLI stopped."
    assert not session.busy and CliExited("The Copilot CLI stopped unexpectedly.") in events


@pytest.mark.asyncio
async def test_a_session_that_never_ran_only_records_a_new_target(tmp_path: Path) -> None:
    session = ChatSession(CopilotService(AppPaths.under(tmp_path)), DEMO)
    endpoint = ChatTarget(Source.ENDPOINT, "m", "http://127.0.0.1:9/v1")
    await session.set_target(endpoint, ToolAccess(Mode.AGENT, str(tmp_path)))
    assert session.target == endpoint and session.access.mode is Mode.AGENT
    await session.close()  # nothing to disconnect


@pytest.mark.expected_warnings  # the crash is logged
@pytest.mark.asyncio
async def test_the_demo_cli_answers_and_after_a_crash_restarts_and_resumes_its_session(
    cli_home: Path,
) -> None:
    service = CopilotService(AppPaths.under(cli_home), demo=True)
    try:
        await service.start()
        await service.start()  # once is enough
        assert service.running and service.generation == 1 and service.cli_version
        session = await service.open_session(DEMO)
        first_id = session.session_id
        assert first_id and not session.stale
        events: list[ChatEvent] = []
        session.events.subscribe(events.append)
        await session.send("hello")
        await wait_until(lambda: any(isinstance(e, Idle) for e in events), timeout=60)
        text = "".join(e.text for e in events if isinstance(e, TextDelta))
        assert "This is the scripted demo model" in text and not session.busy

        kill_cli()
        await wait_until(lambda: service.state is ServiceState.EXITED, timeout=10)
        assert "stopped unexpectedly" in service.error
        await wait_until(lambda: service.running and service.restarts == 1, timeout=30)
        assert service.generation == 2
        await wait_until(lambda: not session.stale, timeout=30)  # resumed on the new CLI, same id
        assert session.session_id == first_id
        events.clear()
        await session.send("a table please")
        await wait_until(lambda: any(isinstance(e, Idle) for e in events), timeout=60)
        assert "Comparison" in "".join(e.text for e in events if isinstance(e, TextDelta))
        await session.close()
    finally:
        await service.stop()
    assert service.state is ServiceState.STOPPED and not service.running
