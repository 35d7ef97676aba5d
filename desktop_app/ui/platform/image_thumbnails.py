"""Small pictures of attached images, decoded from the app's own stored bytes at the size shown.

The bytes are untrusted (a paste, a drop, an imported backup): only those whose signature says
image are decoded, never one claiming more than ``MAX_PIXELS``, and at the thumbnail's size where
the format allows (a huge JPEG is never decoded whole). Each picture is made once per size and kept,
so a chip rebuilt or a sent prompt scrolled back into view costs nothing.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from desktop_app.core.conversation.attachment_intake import image_mime
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind

MAX_PIXELS = 50_000_000  # a claimed size above this is not decoded at all
KEEP = 128  # pictures kept

_made: OrderedDict[tuple[str, int, int], QImage] = OrderedDict()


def thumbnail_image(attachment: Attachment, box: QSize) -> QImage:
    """The attachment's picture within ``box`` (aspect kept, never enlarged); a null image when it
    is not an image or its bytes do not decode."""
    if attachment.kind is not AttachmentKind.IMAGE or image_mime(attachment.data) is None:
        return QImage()
    key = (attachment.sha256, box.width(), box.height())
    made = _made.get(key)
    if made is None:
        made = _decode(attachment.data, box)
        _made[key] = made
        while len(_made) > KEEP:
            _made.popitem(last=False)
    else:
        _made.move_to_end(key)
    return made


def _decode(data: bytes, box: QSize) -> QImage:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if not size.isValid() or size.width() <= 0 or size.height() <= 0:
        return QImage()
    if size.width() * size.height() > MAX_PIXELS:
        return QImage()
    if size.width() > box.width() or size.height() > box.height():
        scaled = size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
        reader.setScaledSize(QSize(max(1, scaled.width()), max(1, scaled.height())))
    image = reader.read()
    if image.isNull():
        return QImage()
    if image.width() > box.width() or image.height() > box.height():  # a format that ignored it
        smooth = Qt.TransformationMode.SmoothTransformation
        image = image.scaled(box, Qt.AspectRatioMode.KeepAspectRatio, smooth)
    return image
