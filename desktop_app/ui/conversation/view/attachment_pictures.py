"""A sent prompt's images as thumbnails in its bubble, in place of each image's icon.

The row's HTML (``turn_html.attachments``, made without Qt, perhaps in the render process) only
marks where each picture goes with a named anchor; the picture itself is a resource registered on
the row's own document under a name made here from the attachment's hash, decoded from the stored
bytes at thumbnail size (``image_thumbnails``). No HTML ever names an image, so no text can show
one, and the document still loads nothing (``NoResourceDocument``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument, QTextImageFormat

from desktop_app.core.rendering.turn_html import PICTURE_ANCHOR
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind
from desktop_app.ui.platform.image_thumbnails import thumbnail_image

SCHEME = "attachment-picture"  # a resource's name: attachment-picture:<sha256>
BOX = QSize(160, 96)  # px at most


def _anchor(document: QTextDocument, name: str) -> tuple[int, int] | None:
    """Where the named anchor is and how long its text (the icon)."""
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.isValid() and name in fragment.charFormat().anchorNames():
                return fragment.position(), fragment.length()
            iterator += 1
        block = block.next()
    return None


def show_pictures(document: QTextDocument, attachments: Sequence[Attachment]) -> int:
    """Put each image's thumbnail where its icon is; how many were put."""
    shown = 0
    for index, attachment in enumerate(attachments):
        if attachment.kind is not AttachmentKind.IMAGE:
            continue
        image = thumbnail_image(attachment, BOX)
        found = _anchor(document, f"{PICTURE_ANCHOR}{index}")
        if image.isNull() or found is None:
            continue  # the icon stays
        url = QUrl(f"{SCHEME}:{attachment.sha256}")
        document.addResource(QTextDocument.ResourceType.ImageResource.value, url, image)
        picture = QTextImageFormat()
        picture.setName(url.toString())
        picture.setWidth(image.width())
        picture.setHeight(image.height())
        picture.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
        picture.setToolTip(attachment.label)
        cursor = QTextCursor(document)
        cursor.setPosition(found[0])
        cursor.setPosition(found[0] + found[1], QTextCursor.MoveMode.KeepAnchor)
        cursor.insertImage(picture)
        shown += 1
    return shown
