"""A sent prompt's attachments with pictures in its bubble: an image's thumbnail, the app's icon
for a file or a folder (an emoji needs a font that has it), each in place of its emoji.

The row's HTML (``turn_html.attachments``, made without Qt, perhaps in the render process) only
marks where each picture goes with a named anchor; the picture itself is a resource registered on
the row's own document under a name made here from the attachment's hash, decoded from the stored
bytes at thumbnail size (``image_thumbnails``). No HTML ever names an image, so no text can show
one, and the document still loads nothing (``NoResourceDocument``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import (
    QImage,
    QPalette,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)

from desktop_app.core.rendering.turn_html import PICTURE_ANCHOR
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind
from desktop_app.ui.platform.icons import icon
from desktop_app.ui.platform.image_thumbnails import thumbnail_image

SCHEME = "attachment-picture"  # a resource's name: attachment-picture:<sha256>
BOX = QSize(160, 96)  # px at most, an image's thumbnail
ICON = 18  # px, a file's or a folder's icon
LINE_HEIGHT = 115  # % of a line's tallest picture or text (the prose's 150 % spreads a thumbnail's)


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


def _picture(attachment: Attachment) -> tuple[str, QImage]:
    """A resource name made here (the content hash, or the icon's name) and its picture."""
    if attachment.kind is AttachmentKind.IMAGE:
        image = thumbnail_image(attachment, BOX)
        if not image.isNull():
            return f"{SCHEME}:{attachment.sha256}", image
    name = "folder-open" if attachment.kind is AttachmentKind.FOLDER else "file-code"
    return f"{SCHEME}:icon-{name}", icon(name, QPalette.ColorRole.Text).pixmap(ICON, ICON).toImage()


def show_pictures(document: QTextDocument, attachments: Sequence[Attachment]) -> int:
    """Put each attachment's picture where its emoji is; how many were put."""
    shown = 0
    block: QTextBlock | None = None
    for index, attachment in enumerate(attachments):
        found = _anchor(document, f"{PICTURE_ANCHOR}{index}")
        if found is None:
            continue
        name, image = _picture(attachment)
        if image.isNull():
            continue  # the emoji stays
        url = QUrl(name)
        document.addResource(QTextDocument.ResourceType.ImageResource.value, url, image)
        picture = QTextImageFormat()
        picture.setName(name)
        picture.setWidth(image.width() / image.devicePixelRatio())
        picture.setHeight(image.height() / image.devicePixelRatio())
        picture.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
        picture.setToolTip(attachment.label)
        cursor = QTextCursor(document)
        cursor.setPosition(found[0])
        cursor.setPosition(found[0] + found[1], QTextCursor.MoveMode.KeepAnchor)
        cursor.insertImage(picture)
        block = cursor.block()
        shown += 1
    if block is not None:  # the list's lines a little taller than their pictures, not 150 % of them
        single = QTextBlockFormat()
        single.setLineHeight(LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor = QTextCursor(block)
        cursor.mergeBlockFormat(single)
    return shown
