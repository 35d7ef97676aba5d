"""The session as shown: where answers come from, the mode, and MCP servers (Agent mode only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.events import McpServerChanged
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import offline_window


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> ChatWindow:
    return offline_window(qtbot, tmp_path)


def test_the_source_is_said_once_in_the_badge(window: ChatWindow) -> None:
    window.controller.source_changed.emit("Endpoint http://localhost:1234")
    assert window.source_badge.text() == "  Endpoint http://localhost:1234  "
    assert window.status.source_label.text() == ""  # not again in the status bar
    assert "localhost" not in window.view._placeholder and "Esc stops a reply" in window.view._placeholder


def test_mcp_servers_are_counted_and_a_failure_is_said_in_the_conversation(window: ChatWindow) -> None:
    window.controller.bridge.mcp_status.emit(McpServerChanged("files", "connected"))
    window.controller.bridge.mcp_status.emit(McpServerChanged("web", "failed", "no such command"))
    assert window.status.mcp_label.text() == "MCP 1/2 connected"
    assert "web: failed (no such command)" in window.status.mcp_label.toolTip()
    assert "MCP server 'web' failed to start: no such command" in window.view.toPlainText()


def test_back_in_chat_mode_the_mcp_count_goes(window: ChatWindow, tmp_path: Path) -> None:
    window.controller.bridge.mcp_status.emit(McpServerChanged("files", "connected"))
    window.controller.access_changed.emit(ToolAccess(Mode.AGENT, str(tmp_path)))
    assert window.status.mcp_label.text() == "MCP 1/1 connected"
    window.controller.access_changed.emit(ToolAccess())
    assert window.status.mcp_label.text() == ""
    assert window.session_display.mcp_statuses.summary == ""
