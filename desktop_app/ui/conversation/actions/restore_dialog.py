"""The question before Restore checkpoint: what goes back (the conversation, each file), Restore or
Cancel. Cancel is the default, so Enter never throws work away by accident."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

if TYPE_CHECKING:  # the vocabulary comes with the first restore, not at start-up
    from desktop_app.core.vocabulary.checkpoints import RewindPreview

TITLE = "Restore checkpoint"
RESTORE = "&Restore"


def ask_restore(
    parent: QWidget, preview: RewindPreview, folder: str, restore: Callable[[bool], None]
) -> QMessageBox:
    """Open the question (not modal: no nested event loop); ``restore(files)`` runs on Restore."""
    from desktop_app.core.vocabulary.checkpoints import confirmation

    box = QMessageBox(QMessageBox.Icon.Question, TITLE, confirmation(preview, folder), parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names are the agent's: never markup
    agree = box.addButton(RESTORE, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)

    def answered(button: QAbstractButton) -> None:
        if button is agree:
            restore(preview.available)

    box.buttonClicked.connect(answered)
    box.open()
    return box
