"""Next to the composer: prompts waiting to be sent (with Edit and Cancel), or why one was not sent."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.conversation.pending_prompts import PendingPrompt
from desktop_app.ui.platform.fitting.elided_label import ElidedLabel, wrapping_label
from desktop_app.ui.platform.live_palette import follow_palette, tint


class PendingBar(QWidget):
    """Shows what was sent but is not on its way yet, so Enter never seems to do nothing.

    Signals:
        edit_requested(int): take this waiting prompt (by key) back into the composer.
        cancel_requested(int): drop this waiting prompt (by key).
    """

    edit_requested = Signal(int)
    cancel_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Waiting messages")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 2, 0, 2)
        self._layout.setSpacing(2)
        self.refusal = wrapping_label(self)
        self.refusal.setAccessibleName("Why the message was not sent")
        self.refusal.hide()
        self._layout.addWidget(self.refusal)
        self._rows: list[QWidget] = []
        self.hide()
        follow_palette(self.refusal, self._restyle)

    def _restyle(self) -> None:
        self.refusal.setStyleSheet(f"color:{tint('error_text')};")

    def show_pending(self, prompts: Iterable[PendingPrompt], reason: str) -> None:
        """One row per waiting prompt, each saying what it waits for."""
        for row in self._rows:
            self._layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self._rows = [self._row(prompt, reason) for prompt in prompts]
        for row in self._rows:
            self._layout.addWidget(row)
            row.show()
        self._update_visibility()

    def show_refusal(self, text: str) -> None:
        self.refusal.setText(text)
        self.refusal.show()
        self._update_visibility()

    def clear_refusal(self) -> None:
        if self.refusal.isVisible() or self.refusal.text():
            self.refusal.clear()
            self.refusal.hide()
            self._update_visibility()

    def labels(self) -> list[str]:
        """The rows' texts, as shown (for tests and the screen reader sweep)."""
        return [label.text() for row in self._rows for label in row.findChildren(QLabel)]

    def _row(self, prompt: PendingPrompt, reason: str) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        # The user's own text, never markup; elided to the room there is (the window never widens).
        label = ElidedLabel(f"◷ {reason}: {prompt.preview}", row)
        label.set_tip(prompt.text[:2000])  # pasted text may look like HTML: shown as text
        label.setAccessibleName(f"{reason}: {prompt.preview}")
        edit = QPushButton("Edit", row)
        edit.setAccessibleName("Edit the waiting message")
        edit.clicked.connect(lambda: self.edit_requested.emit(prompt.key))
        cancel = QPushButton("Cancel", row)
        cancel.setAccessibleName("Cancel the waiting message")
        cancel.clicked.connect(lambda: self.cancel_requested.emit(prompt.key))
        for button in (edit, cancel):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves focus in the composer
        layout.addWidget(label, 1)
        layout.addWidget(edit)
        layout.addWidget(cancel)
        return row

    def _update_visibility(self) -> None:
        self.setVisible(bool(self._rows) or self.refusal.isVisibleTo(self))
