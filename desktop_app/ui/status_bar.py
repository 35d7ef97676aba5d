"""The window's status bar: live reply metrics and where answers come from."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desktop_app.core.metrics import MetricsSnapshot


class ChatStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.metrics_label = QLabel("No reply yet", self)
        self.metrics_label.setAccessibleName("Reply metrics")
        self.source_label = QLabel("", self)
        self.source_label.setAccessibleName("Model source")
        self.addWidget(self.metrics_label, 1)
        self.addPermanentWidget(self.source_label)

    def show_metrics(self, snapshot: MetricsSnapshot) -> None:
        self.metrics_label.setText(snapshot.describe())

    def show_source(self, text: str) -> None:
        self.source_label.setText(text)
