"""Next to the composer: prompts waiting to be sent (with Edit and Cancel, and Send now while a reply
streams), or why one was not sent."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.conversation.pending_prompts import PendingPrompt
from desktop_app.ui.platform.fitting.elided_label import ElidedLabel, wrapping_label
from desktop_app.ui.platform.live_palette import follow_palette, tint

SEND_NOW = "Send now"
STEERING = "Sent into this reply"


class PendingBar(QWidget):
    """Shows what was sent but is not on its way yet, so Enter never seems to do nothing.

    Signals:
        edit_requested(int): take this waiting prompt (by key) back into the composer.
        cancel_requested(int): drop this waiting prompt (by key).
        send_now_requested(int): send this waiting prompt into the running reply (it steers it).
    """

    edit_requested = Signal(int)
    cancel_requested = Signal(int)
    send_now_requested = Signal(int)

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

    def show_pending(
        self,
        prompts: Iterable[PendingPrompt],
        reason: str,
        steerable: bool = False,
        steering: Iterable[str] = (),
    ) -> None:
        """One row per waiting prompt, each saying what it waits for; ``steerable`` (a reply streams)
        adds **Send now** to each. ``steering``: prompts sent into the reply that it has yet to read,
        first, with no buttons (they are on their way)."""
        for row in self._rows:
            self._layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self._rows = [self._steering_row(text) for text in steering]
        self._rows += [self._row(prompt, reason, steerable) for prompt in prompts]
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

    def send_now_buttons(self) -> list[QPushButton]:
        """The rows' **Send now** buttons, in order (none while no reply streams)."""
        return [b for row in self._rows for b in row.findChildren(QPushButton) if b.text() == SEND_NOW]

    def _steering_row(self, text: str) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        preview = PendingPrompt(0, text).preview
        label = ElidedLabel(f"↪ {STEERING}: {preview}", row)
        label.set_tip(text[:2000])
        label.setAccessibleName(f"{STEERING}: {preview}")
        layout.addWidget(label, 1)
        return row

    def _row(self, prompt: PendingPrompt, reason: str, steerable: bool) -> QWidget:
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
        buttons = [edit, cancel]
        if steerable:
            send_now = QPushButton(SEND_NOW, row)
            send_now.setAccessibleName("Send the waiting message now, into the reply")
            send_now.setToolTip("Send it into the reply that is streaming, to steer it")
            send_now.clicked.connect(lambda: self.send_now_requested.emit(prompt.key))
            buttons.insert(0, send_now)
        layout.addWidget(label, 1)
        for button in buttons:
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves focus in the composer
            layout.addWidget(button)
        return row

    def _update_visibility(self) -> None:
        self.setVisible(bool(self._rows) or self.refusal.isVisibleTo(self))
