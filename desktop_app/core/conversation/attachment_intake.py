"""What may be attached to a prompt, and why not: classification, limits and the huge paste. No Qt.

Everything here reads untrusted input (a file picked, dropped or pasted, a file manager's URI list,
clipboard bytes). A file is an image only if its bytes say so (never its extension), text only if it
is valid UTF-8 without NUL bytes; anything else is refused with a message naming the file and why.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind, display_name, human_size

MAX_ATTACHMENTS = 10  # per prompt
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_TEXT_BYTES = 512 * 1024  # inlined whole in Chat mode: about 130k tokens already
MAX_TOTAL_BYTES = 20 * 1024 * 1024  # all of a prompt's attachments together
HUGE_PASTE_LINES = 2000  # a paste longer than this becomes an attachment, not the bubble
HUGE_PASTE_BYTES = 64 * 1024
PASTED_TEXT_NAME = "Pasted text.txt"
PASTED_IMAGE_NAME = "Pasted image.png"

# The signatures of the image formats models read, by their first bytes.
_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


@dataclass(frozen=True)
class Refused:
    """Something that was not attached, and why (the message names it)."""

    name: str
    reason: str

    @property
    def message(self) -> str:
        return f"“{display_name(self.name)}” was not attached: {self.reason}."


def image_mime(data: bytes) -> str | None:
    """The image type ``data`` is (by its signature), or None."""
    for magic, mime in _IMAGE_MAGIC:
        if data.startswith(magic):
            return mime
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def is_text(data: bytes) -> bool:
    """Valid UTF-8 (a BOM allowed) with no NUL byte: what a model can read as text."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _text_mime(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed if guessed and guessed.startswith("text/") else "text/plain"


def from_bytes(name: str, data: bytes, path: str = "") -> Attachment | Refused:
    """Bytes as an image or a text attachment, within the limits, or why not."""
    mime = image_mime(data)
    if mime is not None:
        if len(data) > MAX_IMAGE_BYTES:
            return Refused(name, f"it is {human_size(len(data))}; images may be {_limit(MAX_IMAGE_BYTES)}")
        return Attachment(name, AttachmentKind.IMAGE, mime, data, path)
    if not is_text(data):
        return Refused(name, "it is neither an image (PNG, JPEG, GIF, WebP) nor text")
    if len(data) > MAX_TEXT_BYTES:
        return Refused(name, f"it is {human_size(len(data))}; text files may be {_limit(MAX_TEXT_BYTES)}")
    return Attachment(name, AttachmentKind.TEXT, _text_mime(name), data, path)


def from_path(path: Path, agent: bool) -> Attachment | Refused:
    """A file (or, in Agent mode, a folder) on disk. Its size is checked before anything is read."""
    name = path.name or str(path)
    try:
        info = path.stat()
    except OSError as exc:
        return Refused(name, f"it cannot be read ({exc.strerror or exc})")
    if stat.S_ISDIR(info.st_mode):
        if not agent:
            return Refused(name, "folders can be attached in Agent mode only")
        return Attachment(name, AttachmentKind.FOLDER, "inode/directory", b"", str(path))
    if not stat.S_ISREG(info.st_mode):
        return Refused(name, "it is not a regular file")
    if info.st_size > max(MAX_IMAGE_BYTES, MAX_TEXT_BYTES):
        return Refused(
            name, f"it is {human_size(info.st_size)}; attachments may be {_limit(MAX_IMAGE_BYTES)}"
        )
    try:
        with path.open("rb") as file:
            data = file.read(max(MAX_IMAGE_BYTES, MAX_TEXT_BYTES) + 1)  # it may have grown since
    except OSError as exc:
        return Refused(name, f"it cannot be read ({exc.strerror or exc})")
    return from_bytes(name, data, str(path))


def is_huge_paste(text: str) -> bool:
    """Too long to paste into the bubble: it goes as an attachment instead."""
    return (
        text.count("\n") >= HUGE_PASTE_LINES or len(text.encode("utf-8", "surrogatepass")) > HUGE_PASTE_BYTES
    )


def from_paste(text: str) -> Attachment | Refused:
    """A huge paste as a text attachment."""
    data = text.encode("utf-8", "replace")
    lines = text.count("\n") + 1
    return from_bytes(PASTED_TEXT_NAME.replace(".txt", f" ({lines} lines).txt"), data)


def paths_from_uri_list(text: str) -> list[Path]:
    """The local files of a ``text/uri-list`` (RFC 2483), or of a file manager's copied files
    (GNOME's ``x-special/gnome-copied-files``: ``copy`` then the URIs). Comments, blank lines,
    other schemes and remote hosts are skipped; ``%xx`` escapes are decoded."""
    paths: list[Path] = []
    for raw in text.replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line or line.startswith("#") or line in {"copy", "cut"}:
            continue
        try:
            parts = urlsplit(line)
        except ValueError:
            continue
        if parts.scheme.lower() != "file" or parts.netloc.lower() not in {"", "localhost"}:
            continue
        decoded = unquote(parts.path, errors="strict") if parts.path else ""
        if decoded.startswith("/") and "\x00" not in decoded:
            paths.append(Path(os.path.normpath(decoded)))
    return list(dict.fromkeys(paths))


class AttachmentList:
    """The attachments a prompt will carry, kept within the count and total limits."""

    def __init__(self, items: Iterable[Attachment] = ()) -> None:
        self.items: list[Attachment] = list(items)

    def add(self, candidate: Attachment | Refused) -> str | None:
        """Add it, or say why not (None: added, or it was there already)."""
        if isinstance(candidate, Refused):
            return candidate.message
        if any(a.sha256 == candidate.sha256 and a.path == candidate.path for a in self.items):
            return None
        if len(self.items) >= MAX_ATTACHMENTS:
            return Refused(candidate.name, f"a prompt can carry {MAX_ATTACHMENTS} attachments").message
        total = sum(a.size for a in self.items) + candidate.size
        if total > MAX_TOTAL_BYTES:
            return Refused(
                candidate.name, f"a prompt's attachments may total {_limit(MAX_TOTAL_BYTES)}"
            ).message
        self.items.append(candidate)
        return None

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.items):
            del self.items[index]

    def clear(self) -> list[Attachment]:
        items, self.items = self.items, []
        return items

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def sending_refusal(
    attachments: Sequence[Attachment], reads_images: bool, model: str, agent: bool
) -> str | None:
    """Why these attachments cannot go to this model in this mode, or None."""
    images = [a for a in attachments if a.kind is AttachmentKind.IMAGE]
    if images and not reads_images:
        return (
            f"Not sent: {model or 'this model'} does not read images ({images[0].label}). "
            "Remove the image or pick a model that reads images."
        )
    folders = [a for a in attachments if a.kind is AttachmentKind.FOLDER]
    if folders and not agent:
        return f"Not sent: folders ({folders[0].label}) can be attached in Agent mode only."
    return None


def _limit(size: int) -> str:
    return f"{size // (1024 * 1024)} MB at most" if size >= 1024 * 1024 else f"{size // 1024} KB at most"
