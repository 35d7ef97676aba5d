"""The attachments a prompt will carry, as chips above the editor: a thumbnail for an image, an icon
for a file or folder, the name, the size and a remove button.

The limits and the classification are the core's (``attachment_intake``); this only shows them and
says, through ``refused``, what was left out and why. Names are untrusted (a paste, a drop, a file
manager's list): shown as plain text, cleaned by ``display_name``, the tooltip escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from desktop_app.core.conversation.attachment_intake import (
    PASTED_IMAGE_NAME,
    AttachmentList,
    Refused,
    from_bytes,
    from_path,
)
from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind, human_size
from desktop_app.ui.platform.fitting.elided_label import ElidedLabel
from desktop_app.ui.platform.fitting.flow_layout import FlowLayout
from desktop_app.ui.platform.icons import icon
from desktop_app.ui.platform.image_thumbnails import thumbnail_image

THUMBNAIL = 32  # px, the side of a chip's picture
NAME_WIDTH = 180  # px at most for the name; the rest is elided in the middle


def png_bytes(image: QImage) -> bytes:
    """A pasted or dropped picture as PNG (what a screenshot on the clipboard becomes)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; PySide wants str
    return bytes(buffer.data().data())


class AttachmentChip(QFrame):
    """One attachment: picture or icon, name, size, and (in the composer) a remove button."""

    remove_requested = Signal()

    def __init__(self, attachment: Attachment, removable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attachment = attachment
        self.setObjectName("AttachmentChip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Attachment {attachment.label}")
        self.setToolTip(rich_text_tooltip(attachment.summary))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.setSpacing(4)
        self.picture = QLabel(self)
        self.picture.setFixedSize(THUMBNAIL, THUMBNAIL)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap.fromImage(thumbnail_image(attachment, QSize(THUMBNAIL, THUMBNAIL)))
        if pixmap.isNull():
            name = "folder-open" if attachment.kind is AttachmentKind.FOLDER else "file-code"
            pixmap = icon(name).pixmap(20, 20)
        self.picture.setPixmap(pixmap)
        layout.addWidget(self.picture)
        self.name = ElidedLabel(attachment.label, self, Qt.TextElideMode.ElideMiddle)
        self.name.setMaximumWidth(NAME_WIDTH)
        layout.addWidget(self.name)
        what = "folder" if attachment.kind is AttachmentKind.FOLDER else human_size(attachment.size)
        self.size_label = QLabel(what, self)
        self.size_label.setTextFormat(Qt.TextFormat.PlainText)
        self.size_label.setEnabled(False)  # quieter
        layout.addWidget(self.size_label)
        self.remove_button: QToolButton | None = None
        if removable:
            button = QToolButton(self)
            button.setIcon(icon("x"))
            button.setAutoRaise(True)
            button.setAccessibleName(f"Remove {attachment.label}")
            button.setToolTip(rich_text_tooltip(f"Remove {attachment.label}"))
            button.clicked.connect(self.remove_requested.emit)
            layout.addWidget(button)
            self.remove_button = button


class AttachmentTray(QWidget):
    """The composer's attachments. Hidden while there are none.

    Signals:
        changed(): attachments were added or removed.
        refused(str): something was not attached; the message names it and says why.
    """

    changed = Signal()
    refused = Signal(str)

    def __init__(self, agent: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Attachments")
        self._agent = agent  # Agent mode: folders may be attached, files go as files
        self._list = AttachmentList()
        self._layout = FlowLayout(self, spacing=4)
        self.chips: list[AttachmentChip] = []
        self.hide()

    @property
    def agent_mode(self) -> bool:
        """The conversation is in Agent mode: folders may be attached."""
        return self._agent()

    @property
    def attachments(self) -> list[Attachment]:
        return list(self._list.items)

    def add(self, candidates: Iterable[Attachment | Refused]) -> None:
        """Add each one the limits allow; say why for each one they do not."""
        problems = [message for c in candidates if (message := self._list.add(c)) is not None]
        self._rebuild()
        if problems:
            self.refused.emit(" ".join(problems))

    def add_paths(self, paths: Iterable[Path]) -> None:
        agent = self.agent_mode
        self.add(from_path(path, agent) for path in paths)

    def add_image(self, image: QImage, name: str = PASTED_IMAGE_NAME) -> None:
        self.add([from_bytes(name, png_bytes(image))])

    def remove(self, index: int) -> None:
        self._list.remove(index)
        self._rebuild()

    def clear(self) -> None:
        if self._list:
            self._list.clear()
            self._rebuild()

    def set_attachments(self, attachments: Iterable[Attachment]) -> None:
        """What another conversation's composer held, or a waiting prompt taken back."""
        self._list = AttachmentList(attachments)
        self._rebuild()

    def _rebuild(self) -> None:
        for chip in self.chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for index, attachment in enumerate(self._list.items):
            chip = AttachmentChip(attachment, parent=self)
            chip.remove_requested.connect(lambda index=index: self.remove(index))
            self._layout.addWidget(chip)
            chip.show()
            self.chips.append(chip)
        self.setVisible(bool(self.chips))
        self._layout.invalidate()
        self.updateGeometry()
        self.changed.emit()
