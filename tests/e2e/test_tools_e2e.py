"""Tools and permissions, as a person meets them: the real CLI, the real SDK, a scripted model.

The model (the only scripted part) asks for tools; the app's own ``calculate`` runs without asking,
and the CLI's built-in shell in Agent mode runs only once the user answers the permission card.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.tool_calls import ToolStatus
from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.markdown_format import export_markdown
from desktop_app.core.vocabulary.access import Mode
from desktop_app.core.vocabulary.permission_requests import RequestKind
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask, endpoint_args, start_asking
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio


def tool_prompt(name: str, arguments: dict[str, object], extra: str = "") -> str:
    return f"{extra}TOOL {name} {json.dumps(arguments)}"


def shell(command: str) -> str:
    return tool_prompt("bash", {"command": command, "description": "a test command"})


def last_tool_message(server: ModelServer) -> dict[str, object]:
    return server.chat_requests()[-1]["body"]["messages"][-1]  # type: ignore[no-any-return]


async def use_agent_mode(window: ChatWindow, folder: Path) -> None:
    window.use_folder(str(folder))  # what choosing the folder in the dialog does
    await wait_until(lambda: window.controller.access().mode is Mode.AGENT, timeout=30)


@contextlib.asynccontextmanager
async def agent_window(
    qtbot: QtBot, server: ModelServer, data_dir: Path, folder: Path
) -> AsyncIterator[ChatWindow]:
    """The app against the scripted model, its window in Agent mode working in ``folder``."""
    async with running_app(*endpoint_args(server, data_dir)) as window:
        qtbot.addWidget(window)
        await use_agent_mode(window, folder)
        yield window


async def wait_for_card(window: ChatWindow) -> None:
    """The request is on the card and can be answered (Allow works a second after it appears)."""
    await wait_until(lambda: window.permission_card.current is not None, timeout=60)
    await wait_until(lambda: window.permission_card.armed, timeout=5)


async def test_calculate_runs_without_asking_and_its_result_reaches_the_model(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        assert window.controller.access().mode is Mode.CHAT
        await ask(qtbot, window, tool_prompt("calculate", {"expression": "25 * 4 + 10"}, "PREAMBLE "))
        assert "TOOL_RESULT: 110" in window.view.toPlainText()
        assert last_tool_message(model_server) == {
            "role": "tool",
            "tool_call_id": last_tool_message(model_server)["tool_call_id"],
            "content": "110",
        }
        calls = window.controller.tools.calls
        assert [(c.name, c.status, c.result) for c in calls] == [("calculate", ToolStatus.DONE, "110")]
        assert "25 * 4 + 10" in calls[0].arguments
        assert window.permission_card.current is None  # a safe tool never asks
        # Chat mode offers the model only the app's own tools, and ask_user (it only asks the user).
        tools = model_server.chat_requests()[-1]["body"]["tools"]
        assert sorted(t["function"]["name"] for t in tools) == ["ask_user", "calculate", "current_time"]
        # The transcript: the preamble, a marker for the call, then the answer.
        text = window.view.toPlainText()
        assert text.index("Let me check that") < text.index("⚙") < text.index("TOOL_RESULT: 110")
        assert window.tool_panel.model.rowCount() == 1
        assert "done" in window.tool_panel.model.index(0).data()


async def test_hostile_calculation_is_refused_and_the_model_told(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, tool_prompt("calculate", {"expression": "__import__('os').system('id')"}))
        content = str(last_tool_message(model_server)["content"])
        assert "not allowed" in content
        assert window.controller.tools.calls[0].status is ToolStatus.FAILED


async def test_agent_shell_denied_runs_nothing_and_the_model_is_told(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with agent_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        window.isActiveWindow = lambda: False  # type: ignore[method-assign]  # the user looks elsewhere
        finished = await start_asking(qtbot, window, shell("touch denied.txt"))
        await wait_for_card(window)
        prompt = window.permission_card.current
        assert prompt is not None and prompt.detail == "touch denied.txt"
        assert window.permission_card.detail.toPlainText() == "touch denied.txt"
        assert window.controller.tools.calls[-1].status is ToolStatus.PENDING
        assert not (tmp_path / "denied.txt").exists()  # nothing runs while the request waits
        assert window.notifier is not None
        assert window.notifier.sent[-1] == ("Copilot is waiting for your approval", prompt.summary)
        window.permission_card.deny_message_button.click()
        qtbot.keyClicks(window.permission_card.message, "use python instead")
        qtbot.keyClick(window.permission_card.message, Qt.Key.Key_Return)
        await finished
        assert not (tmp_path / "denied.txt").exists()
        told = str(last_tool_message(model_server)["content"])
        assert "use python instead" in told
        call = window.controller.tools.calls[-1]
        assert call.status is ToolStatus.DENIED
        assert call.decision == "Denied: use python instead"


async def test_agent_shell_allowed_once_streams_its_output_into_the_panel(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with agent_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        command = "echo first; sleep 1.5; echo second > out.txt; cat out.txt"
        finished = await start_asking(qtbot, window, shell(command))
        await wait_for_card(window)
        window.permission_card.allow_once.click()
        # Live output: the first line is in the panel while the command still runs.
        await wait_until(lambda: "first" in window.tool_panel.output.toPlainText(), timeout=30)
        assert window.controller.tools.calls[-1].status is ToolStatus.RUNNING
        await finished
        call = window.controller.tools.calls[-1]
        assert call.status is ToolStatus.DONE and call.exit_code == 0
        assert (tmp_path / "out.txt").read_text() == "second\n"
        assert call.decision == "Allowed once"
        assert call.duration_s is not None and call.duration_s >= 1.0
        await wait_until(lambda: "second" in window.tool_panel.output.toPlainText(), timeout=5)
        assert "first" in window.tool_panel.output.toPlainText()
        assert "exit code 0" in window.tool_panel.model.index(0).data()


async def test_always_allow_is_remembered_and_revocable(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    data_dir, work = tmp_path / "data", tmp_path / "work"
    work.mkdir()
    async with running_app(*endpoint_args(model_server, data_dir)) as window:
        qtbot.addWidget(window)
        await use_agent_mode(window, work)
        finished = await start_asking(qtbot, window, shell("touch a.txt"))
        await wait_for_card(window)
        assert "commands starting with touch" in window.permission_card.scope.text()
        window.permission_card.allow_always.click()
        await finished
        assert (work / "a.txt").exists()
        rules = window.controller.rules.rules
        assert [(r.scope.value, r.value, r.conversation_id) for r in rules] == [("command", "touch", None)]

        # The next touch runs without a card, and the panel says which rule allowed it.
        await ask(qtbot, window, shell("touch b.txt"))
        assert (work / "b.txt").exists()
        call = window.controller.tools.calls[-1]
        assert call.decision.startswith("Allowed by your rule: commands starting with touch")
        # A command the rule does not cover still asks.
        finished = await start_asking(qtbot, window, shell("touch c.txt && rm a.txt"))
        await wait_for_card(window)
        window.permission_card.deny.click()
        await finished
        assert (work / "a.txt").exists() and not (work / "c.txt").exists()

    # Remembered across a restart; revoked on the settings page, it asks again.
    async with running_app(*endpoint_args(model_server, data_dir)) as window:
        qtbot.addWidget(window)
        assert [r.value for r in window.controller.rules.rules] == ["touch"]
        window.open_settings()
        page = window._settings_dialog.rules_page  # type: ignore[union-attr]
        assert page.list.count() == 1 and "touch" in page.list.item(0).text()
        page.list.setCurrentRow(0)
        page.revoke_button.click()
        assert window.controller.rules.rules == []
        assert page.list.count() == 0
        window._settings_dialog.reject()  # type: ignore[union-attr]
        await use_agent_mode(window, work)
        finished = await start_asking(qtbot, window, shell("touch d.txt"))
        await wait_for_card(window)
        window.permission_card.deny.click()
        await finished
        assert not (work / "d.txt").exists()


async def test_allow_for_this_conversation_does_not_reach_other_conversations(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with agent_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        finished = await start_asking(qtbot, window, shell("ls"))
        await wait_for_card(window)
        window.permission_card.allow_conversation.click()
        await finished
        await ask(qtbot, window, shell("ls -a"))
        assert window.controller.tools.calls[-1].decision.startswith("Allowed by your rule")
        await window.controller.new_conversation()
        assert window.controller.tools.calls == []
        await use_agent_mode(window, tmp_path)
        finished = await start_asking(qtbot, window, shell("ls"))
        await wait_for_card(window)  # the other conversation's rule does not apply here
        window.permission_card.deny.click()
        await finished


async def test_stopping_a_reply_denies_the_waiting_request(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with agent_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        finished = await start_asking(qtbot, window, shell("touch x"))
        await wait_for_card(window)
        window.controller.stop()
        await finished
        assert window.permission_card.current is None
        assert not (tmp_path / "x").exists()
        assert window.controller.tools.calls[-1].status is ToolStatus.DENIED


async def test_a_file_write_shows_its_diff_and_a_folder_rule_covers_the_next_one(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with agent_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        first = tmp_path / "hello.txt"
        finished = await start_asking(
            qtbot, window, tool_prompt("create", {"path": str(first), "file_text": "hi there\n"})
        )
        await wait_for_card(window)
        detail = window.permission_card.detail.toPlainText()
        assert detail.startswith(str(first)) and "+hi there" in detail
        assert not first.exists()
        assert f"files in {tmp_path}" in window.permission_card.scope.text()
        window.permission_card.allow_always.click()
        await finished
        assert first.read_text() == "hi there\n"
        assert window.controller.tools.calls[-1].files == (str(first),)
        second = tmp_path / "again.txt"
        await ask(qtbot, window, tool_prompt("create", {"path": str(second), "file_text": "more\n"}))
        assert second.read_text() == "more\n"  # the folder rule answered; no card
        assert window.controller.tools.calls[-1].decision.startswith("Allowed by your rule: files in")
        # Outside that folder, it asks again.
        outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
        finished = await start_asking(
            qtbot, window, tool_prompt("create", {"path": str(outside), "file_text": "no\n"})
        )
        await wait_for_card(window)
        window.permission_card.deny.click()
        await finished
        assert not outside.exists()
        window.controller.rules.revoke(window.controller.rules.rules[0].id)


async def test_tool_calls_are_saved_reopened_and_exported(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    data_dir, work = tmp_path / "data", tmp_path / "work"
    work.mkdir()
    async with running_app(*endpoint_args(model_server, data_dir), "--agent", str(work)) as window:
        qtbot.addWidget(window)
        assert window.controller.access().mode is Mode.AGENT  # --agent DIR
        finished = await start_asking(qtbot, window, "PREAMBLE " + shell("echo saved-output"))
        await wait_for_card(window)
        window.permission_card.allow_once.click()
        await finished
        conversation = window.controller.conversation
        assert conversation is not None and conversation.mode == "agent"
        assert conversation.working_dir == str(work)

    async with running_app(*endpoint_args(model_server, data_dir)) as window:
        qtbot.addWidget(window)
        window.open_conversation(conversation.id)
        await wait_until(lambda: window.controller.conversation is not None)
        await wait_until(lambda: window.tool_panel.model.rowCount() == 1)
        [call] = window.controller.tools.calls
        assert call.status is ToolStatus.DONE and call.exit_code == 0
        assert call.output == "saved-output\n" and call.decision == "Allowed once"
        assert window.controller.access().mode is Mode.AGENT
        assert window.mode_picker.currentText() == "Agent"
        text = window.view.toPlainText()
        assert (
            text.index("Let me check that")
            < text.index("⚙ bash: echo saved-output")
            < text.index("TOOL_RESULT")
        )
        assert window.view.scroll_to_tool(call.id)
        assert window.tool_panel.output.toPlainText() == "saved-output\n"
        store = window.controller.store
        assert store is not None
        markdown = export_markdown(load_conversations(store, [conversation.id]))
        assert "**bash**" in markdown and "saved-output" in markdown and "Allowed once" in markdown


async def test_a_url_fetch_names_the_url_and_its_domain(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with agent_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        url = model_server.base_url + "/models"
        finished = await start_asking(qtbot, window, tool_prompt("web_fetch", {"url": url}))
        await wait_for_card(window)
        assert window.permission_card.detail.toPlainText() == url
        assert "URLs on 127.0.0.1" in window.permission_card.scope.text()
        window.permission_card.allow_once.click()
        await finished
        # Allowed by the user, the CLI itself still refuses loopback addresses: the panel says why.
        call = window.controller.tools.calls[-1]
        assert call.status is ToolStatus.FAILED and call.decision == "Allowed once"
        assert "blocked address 127.0.0.1" in call.error
        assert "blocked address" in str(last_tool_message(model_server)["content"])


async def test_a_waiting_request_can_be_answered_from_the_tool_panel(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    async with agent_window(qtbot, model_server, shared_data_dir, tmp_path) as window:
        panel = window.tool_panel
        finished = await start_asking(qtbot, window, shell("touch from-panel.txt"))
        await wait_for_card(window)
        await wait_until(lambda: panel.answers.isVisible())  # the waiting call is selected
        panel.more_button.click()  # every choice is on the card: it takes the focus (not a button)
        assert window.focusWidget() is window.permission_card
        await wait_until(panel.allow_button.isEnabled)  # as on the card, a second after it shows
        panel.allow_button.click()
        await finished
        assert (tmp_path / "from-panel.txt").exists()
        call = window.controller.tools.calls[-1]
        assert call.status is ToolStatus.DONE and call.decision == "Allowed once"
        assert window.permission_card.current is None
        await wait_until(lambda: not panel.answers.isVisible())  # the panel redraws within 0.1 s

        finished = await start_asking(qtbot, window, shell("touch denied-from-panel.txt"))
        await wait_for_card(window)
        await wait_until(lambda: panel.answers.isVisible())
        panel.deny_button.click()
        await finished
        assert not (tmp_path / "denied-from-panel.txt").exists()
        assert window.controller.tools.calls[-1].status is ToolStatus.DENIED
        assert "denied" in str(last_tool_message(model_server)["content"]).lower()


SHOUT_SERVER = Path(__file__).parent.parent / "fixtures" / "mcp_shout_server.py"


def write_mcp_config(data_dir: Path, servers: dict[str, object]) -> None:
    config_dir = data_dir / "config"
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "mcp.json").write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")


async def test_an_mcp_servers_tool_asks_first_and_its_result_reaches_the_model(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    write_mcp_config(data_dir, {"shouter": {"command": sys.executable, "args": [str(SHOUT_SERVER)]}})
    async with agent_window(qtbot, model_server, data_dir, tmp_path) as window:
        finished = await start_asking(qtbot, window, tool_prompt("shouter-shout", {"text": "hello mcp"}))
        await wait_for_card(window)
        prompt = window.permission_card.current
        assert prompt is not None and prompt.kind is RequestKind.MCP
        assert "shout" in prompt.detail and "hello mcp" in prompt.detail  # the tool and its arguments
        assert not any(
            "HELLO MCP" in str(m.get("content")) for m in model_server.chat_requests()[-1]["body"]["messages"]
        )
        window.permission_card.allow_once.click()
        await finished
        assert "HELLO MCP!" in str(last_tool_message(model_server)["content"])
        call = window.controller.tools.calls[-1]
        assert call.status is ToolStatus.DONE and "HELLO MCP!" in call.result
        assert call.decision == "Allowed once"
        # The server's tool was offered to the model next to the built-in ones.
        offered = [t["function"]["name"] for t in model_server.chat_requests()[0]["body"]["tools"]]
        assert "shouter-shout" in offered and "bash" in offered
        assert window.status.mcp_label.text() == "MCP 1/1 connected"
        window.mode_picker.activated.emit(window.mode_picker.findData(Mode.CHAT.value))  # as picked
        await wait_until(lambda: window.controller.access().mode is Mode.CHAT, timeout=30)
        assert window.status.mcp_label.text() == ""  # no MCP servers in Chat mode


async def test_mcp_servers_that_cannot_run_are_reported_in_the_conversation(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHOUT_TOKEN_FOR_TEST", raising=False)
    data_dir = tmp_path / "data"
    write_mcp_config(
        data_dir,
        {
            "broken": {"command": sys.executable, "args": ["-c", "import sys; sys.exit(3)"]},
            "needs-token": {
                "command": sys.executable,
                "args": [str(SHOUT_SERVER)],
                "env": {"SHOUT_TOKEN": "${SHOUT_TOKEN_FOR_TEST}"},
            },
        },
    )
    async with agent_window(qtbot, model_server, data_dir, tmp_path) as window:
        await ask(qtbot, window, "SHORT still works")  # the conversation goes on without them
        assert "Received" in window.view.toPlainText()
        await wait_until(
            lambda: "MCP server 'broken' failed to start" in window.view.toPlainText(), timeout=60
        )
        text = window.view.toPlainText()
        assert "MCP server 'needs-token' is off: ${SHOUT_TOKEN_FOR_TEST} is not set" in text
        await wait_until(lambda: window.status.mcp_label.text() == "MCP 0/2 connected")
        details = window.status.mcp_label.toolTip()
        assert "broken: failed" in details and "needs-token: off" in details
