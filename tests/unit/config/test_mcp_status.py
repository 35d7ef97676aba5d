"""The status bar's line about MCP servers follows the latest event of each."""

from __future__ import annotations

from desktop_app.core.config.mcp_status import McpStatuses
from desktop_app.core.vocabulary.events import McpServerChanged


def test_servers_are_summed_up_by_their_latest_state() -> None:
    statuses = McpStatuses()
    assert statuses.summary == "" and statuses.details == ""
    statuses.update(McpServerChanged("gh", "pending"))
    statuses.update(McpServerChanged("docs", "off", "${T} is not set"))
    assert statuses.summary == "MCP starting…"
    statuses.update(McpServerChanged("gh", "connected"))
    assert statuses.summary == "MCP 1/2 connected"
    assert statuses.details == "docs: off (${T} is not set)\ngh: connected"
    statuses.clear()
    assert statuses.summary == ""
