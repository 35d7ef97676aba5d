"""What the status bar says about a window's MCP servers, from the session's status events."""

from __future__ import annotations

from desktop_app.core.vocabulary.events import McpServerChanged


class McpStatuses:
    def __init__(self) -> None:
        self._latest: dict[str, McpServerChanged] = {}

    def update(self, event: McpServerChanged) -> None:
        self._latest[event.name] = event

    def clear(self) -> None:
        self._latest.clear()

    @property
    def summary(self) -> str:
        """'MCP 2/3 connected', 'MCP starting…', or '' with no servers."""
        if not self._latest:
            return ""
        states = [event.status for event in self._latest.values()]
        if any(state == "pending" for state in states):
            return "MCP starting…"
        return f"MCP {states.count('connected')}/{len(states)} connected"

    @property
    def details(self) -> str:
        """One line per server, for a tooltip."""
        lines = []
        for name, event in sorted(self._latest.items()):
            line = f"{name}: {event.status}"
            if event.error:
                line += f" ({event.error[:200]})"
            lines.append(line)
        return "\n".join(lines)
