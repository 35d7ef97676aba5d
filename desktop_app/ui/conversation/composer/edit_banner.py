"""Above the editor while a sent prompt is being edited: what sending will do, and Cancel (or Esc)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.ui.platform.fitting.elided_label import wrapping_label
from desktop_app.ui.platform.icons import icon
from desktop_app.ui.platform.live_palette import follow_palette, tint

EDITING = (
    "Editing a sent prompt. Sending it replaces the prompt and everything after it; the old "
    "version is kept (‹ › under the prompt)."
)


class EditBanner(QWidget):
    """Signals:
    cancelled(): the user gave up the edit (the composer gets back what it held before).
    """

    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editBanner")
        self.setAccessibleName("Editing a sent prompt")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        self.mark = QLabel(self)
        self.mark.setPixmap(icon("edit").pixmap(14, 14))
        layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        self.text: QLabel = wrapping_label(self)
        self.text.setText(EDITING)
        layout.addWidget(self.text, 1)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setToolTip("Cancel the edit (Esc)")
        self.cancel.setFlat(True)
        self.cancel.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.cancel.clicked.connect(self.cancelled.emit)
        layout.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()
        follow_palette(self.text, self._restyle)

    def _restyle(self) -> None:
        self.text.setStyleSheet(f"color:{tint('muted')};")
