"""The status bar's premium-request gauge: how much of this period's allowance is used, at a glance.

A bar that fills as requests are used ("Premium 86%"), coloured by level (green, amber at 80%, orange
at 95%, red when used up); its tooltip says how many are left, when they reset and what this
conversation cost. A click (or Enter, Space) opens the details. Hidden unless answers come from
Copilot and the window is signed in (``UsageState.shown``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import QProgressBar, QWidget

from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.core.vocabulary.usage import wording
from desktop_app.core.vocabulary.usage.quota import QuotaLevel, UsageState
from desktop_app.ui.account.usage_details import UsageDetails, utc_now
from desktop_app.ui.platform.live_palette import follow_palette, tint

COLOURS = {
    QuotaLevel.UNLIMITED: "#2da44e",
    QuotaLevel.OK: "#2da44e",
    QuotaLevel.LOW: "#bf8700",
    QuotaLevel.VERY_LOW: "#e16f24",
    QuotaLevel.USED_UP: "#cf222e",
}


class UsageGauge(QProgressBar):
    """Signals:
    details_opened(): the details popup was opened (by click or key).
    """

    details_opened = Signal()

    def __init__(self, parent: QWidget | None = None, now: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self._now = now
        self.state = UsageState()
        self.details: UsageDetails | None = None
        self.setRange(0, 100)
        self.setTextVisible(True)
        self.setFixedWidth(140)
        self.setMaximumHeight(18)
        self.setAccessibleName("Premium requests")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()
        self.follower = follow_palette(self, self._restyle)

    def _restyle(self) -> None:
        """The outline in the current theme's colour (a style sheet's palette() is read only once)."""
        chunk = (
            f"QProgressBar::chunk {{ background: {self.colour}; border-radius: 2px; }}" if self.colour else ""
        )
        self.setStyleSheet(
            f"QProgressBar {{ border: 1px solid {tint(QPalette.ColorRole.Mid)}; border-radius: 3px;"
            f" text-align: center; }}{chunk}"
        )

    @property
    def level(self) -> QuotaLevel | None:
        return self.state.quota.level if self.state.quota is not None else None

    @property
    def colour(self) -> str:
        return COLOURS[self.level] if self.level is not None else ""

    def show_usage(self, state: UsageState) -> None:
        self.state = state
        quota = state.quota
        if not state.shown or quota is None:
            self.hide()
            if self.details is not None:
                self.details.close()
            return
        now = self._now()
        self.setValue(0 if quota.unlimited else math.floor(quota.percent_used))
        self.setFormat(wording.gauge_text(quota))  # no %p: the text is ours, rounded down
        self.follower.run()
        self.setToolTip(rich_text_tooltip(wording.tooltip(state, now)))
        self.setAccessibleDescription(
            f"{wording.summary(quota, now)}. {wording.cost_text(state.conversation_cost)}"
        )
        self.show()
        if self.details is not None and self.details.isVisible():
            self.details.show_state(state)

    def open_details(self) -> UsageDetails:
        """The details popup, just above the gauge (it closes on a click elsewhere or Esc)."""
        if self.details is None:
            self.details = UsageDetails(self, self._now)
        details = self.details
        details.show_state(self.state)
        details.adjustSize()
        corner = self.mapToGlobal(QPoint(self.width(), 0))
        details.move(corner.x() - details.width(), corner.y() - details.height() - 4)
        details.show()
        self.details_opened.emit()
        return details

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.open_details()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.open_details()
            return
        super().keyPressEvent(event)
