"""The window's status bar: live reply metrics, where answers come from and premium usage.

Every text in it elides to the room it gets (the whole text is its tooltip), so no status text,
server error or endpoint URL ever widens the window.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStatusBar, QWidget

from desktop_app.core.conversation.metrics import NO_REPLY, MetricsSnapshot
from desktop_app.ui.account.usage_gauge import UsageGauge
from desktop_app.ui.platform.fitting.elided_label import ElidedLabel


class ChatStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Plain text (server names and errors are not markup), elided: a window must fit half a screen.
        self.metrics_label = ElidedLabel(NO_REPLY, self)
        self.metrics_label.setAccessibleName("Reply metrics")
        self.source_label = ElidedLabel("", self)
        self.source_label.setAccessibleName("Model source")
        self.context_label = ElidedLabel("", self)
        self.context_label.setAccessibleName("Context used")
        self.context_label.set_tip("How much of the model's context window this conversation uses")
        self.mcp_label = ElidedLabel("", self)
        self.mcp_label.setAccessibleName("MCP servers")
        self.addWidget(self.metrics_label, 1)
        self.addPermanentWidget(self.mcp_label)
        self.addPermanentWidget(self.context_label)
        self.addPermanentWidget(self.source_label)
        self.usage_gauge = UsageGauge(self)  # hidden unless Copilot answers, signed in
        self.addPermanentWidget(self.usage_gauge)

    def show_metrics(self, snapshot: MetricsSnapshot) -> None:
        self.metrics_label.setText(snapshot.describe())
        self.metrics_label.set_tip(snapshot.describe())  # a model name: shown as text

    def show_context(self, current: int, limit: int) -> None:
        self.context_label.setText(f"Context {context_text(current, limit)}")

    def show_mcp(self, summary: str, details: str) -> None:
        self.mcp_label.setText(summary)
        self.mcp_label.set_tip(details)  # MCP servers' errors: shown as text

    def show_source(self, text: str) -> None:
        self.source_label.setText(text)


def context_text(current: int, limit: int) -> str:
    """'8.9k / 128k tokens (7%)'."""

    def short(n: int) -> str:
        return f"{n / 1000:.1f}k" if n < 10_000 else f"{n / 1000:.0f}k"

    percent = 100 * current / limit if limit else 0
    return f"{short(current)} / {short(limit)} tokens ({percent:.0f}%)"
