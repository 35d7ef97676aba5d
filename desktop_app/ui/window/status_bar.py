"""The window's status bar: live reply metrics, where answers come from and premium usage."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from desktop_app.core.conversation.metrics import NO_REPLY, MetricsSnapshot
from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.ui.account.usage_gauge import UsageGauge


class ChatStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.metrics_label = QLabel(NO_REPLY, self)
        self.metrics_label.setAccessibleName("Reply metrics")
        # It gives way (clipped; the figures are in its tooltip) rather than hold the window wide now
        # that the gauge and the account sit beside it: a window must fit half a screen.
        self.metrics_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.source_label = QLabel("", self)
        self.source_label.setAccessibleName("Model source")
        self.context_label = QLabel("", self)
        self.context_label.setAccessibleName("Context used")
        self.context_label.setToolTip("How much of the model's context window this conversation uses")
        self.mcp_label = QLabel("", self)
        self.mcp_label.setAccessibleName("MCP servers")
        for label in (self.metrics_label, self.source_label, self.context_label, self.mcp_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # server names and errors are not markup
        self.addWidget(self.metrics_label, 1)
        self.addPermanentWidget(self.mcp_label)
        self.addPermanentWidget(self.context_label)
        self.addPermanentWidget(self.source_label)
        self.usage_gauge = UsageGauge(self)  # hidden unless Copilot answers, signed in
        self.addPermanentWidget(self.usage_gauge)

    def show_metrics(self, snapshot: MetricsSnapshot) -> None:
        self.metrics_label.setText(snapshot.describe())
        self.metrics_label.setToolTip(rich_text_tooltip(snapshot.describe()))  # a model name: text

    def show_context(self, current: int, limit: int) -> None:
        self.context_label.setText(f"Context {context_text(current, limit)}")

    def show_mcp(self, summary: str, details: str) -> None:
        self.mcp_label.setText(summary)
        self.mcp_label.setToolTip(rich_text_tooltip(details))  # MCP servers' errors: shown as text

    def show_source(self, text: str) -> None:
        self.source_label.setText(text)


def context_text(current: int, limit: int) -> str:
    """'8.9k / 128k tokens (7%)'."""

    def short(n: int) -> str:
        return f"{n / 1000:.1f}k" if n < 10_000 else f"{n / 1000:.0f}k"

    percent = 100 * current / limit if limit else 0
    return f"{short(current)} / {short(limit)} tokens ({percent:.0f}%)"
