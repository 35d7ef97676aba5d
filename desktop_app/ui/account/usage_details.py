"""The gauge's details: used, left and included requests, the reset date, the plan, what this
conversation cost, and GitHub's own pages (usage, and the Copilot settings where paid requests
beyond the allowance are turned on). Every value is shown as plain text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.vocabulary.usage import wording
from desktop_app.core.vocabulary.usage.quota import UsageState
from desktop_app.ui.platform.live_palette import keep_style_sheet


def utc_now() -> datetime:
    return datetime.now(UTC)


def open_url(url: str) -> None:
    """In the user's browser (a test replaces ``QDesktopServices.openUrl``)."""
    QDesktopServices.openUrl(QUrl(url))


class UsageDetails(QFrame):
    """A popup under the user's pointer: it closes on a click elsewhere or Esc."""

    def __init__(self, parent: QWidget, now: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self._now = now
        self.setObjectName("usageDetails")
        self.setAccessibleName("Premium request details")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.title = QLabel("Premium requests", self)
        keep_style_sheet(self.title, "font-weight: bold;")  # re-polished per theme
        self.summary = QLabel("", self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.form = QFormLayout()
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(self.form)
        buttons = QHBoxLayout()
        self.usage_button = QPushButton("See usage on GitHub", self)
        self.usage_button.clicked.connect(lambda: open_url(wording.USAGE_URL))
        self.settings_button = QPushButton("Copilot settings", self)
        self.settings_button.clicked.connect(lambda: open_url(wording.COPILOT_SETTINGS_URL))
        buttons.addWidget(self.usage_button)
        buttons.addWidget(self.settings_button)
        layout.addLayout(buttons)
        self.rows: list[tuple[str, str]] = []

    def show_state(self, state: UsageState) -> None:
        now = self._now()
        self.summary.setText(wording.summary(state.quota, now) if state.quota is not None else "")
        while self.form.rowCount():
            self.form.removeRow(0)
        self.rows = wording.detail_rows(state)
        for label, value in self.rows:
            shown = QLabel(value, self)
            shown.setTextFormat(Qt.TextFormat.PlainText)  # the plan's name and figures come from GitHub
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(f"{label}:", shown)

    def value(self, label: str) -> str:
        """The value of the row ``label`` ("" when there is none), for tests and screen readers."""
        return next((v for k, v in self.rows if k == label), "")
