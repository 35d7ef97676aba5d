"""A conversation's title as a file name that works on every system. No Qt.

Titles are the model's or the user's text: emoji, slashes, control characters, a bidi override, a
Windows device name ("CON"), or nothing at all. Letters and digits of any script stay; what a file
system refuses or hides becomes a dash or goes, and the name stays short enough for any of them.
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_STEM = "Conversation"
MAX_CHARS = 80  # of the name before its extension
MAX_BYTES = 200  # of it in UTF-8 (file systems allow 255 for the whole name)
_KEPT_PUNCTUATION = frozenset(" -_.,;'!()[]{}&+=@#%~")  # safe everywhere ("<>:"/\|?*" are not)
_SEPARATORS = frozenset("/\\")  # path separators: a dash ("a/b" reads "a-b")
_REFUSED = frozenset(':*?"<>|')  # what Windows (":" also old macOS) refuses in a name: a space
# Windows refuses these as a name, whatever the extension (and with trailing spaces).
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(10)})
_DASHES = re.compile(r"-{2,}")
_EXTENSION = re.compile(r"[a-z0-9]{1,10}")


def safe_file_name(title: str, extension: str = "") -> str:
    """``title`` as a file name ending in ``.extension`` (none when empty); never empty, never hidden
    (no leading dot), never a path, at most ``MAX_CHARS`` characters before the extension."""
    stem = _clean(unicodedata.normalize("NFKC", title))
    stem = _fit(stem) or DEFAULT_STEM
    if stem.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        stem = f"{stem}_"
    ext = extension.strip().lstrip(".").lower()
    return f"{stem}.{ext}" if _EXTENSION.fullmatch(ext) else stem


def _clean(text: str) -> str:
    """Letters, marks and digits of any script and plain punctuation kept; path separators as
    dashes; controls as spaces; emoji, symbols and format characters dropped; spaces collapsed."""
    out = []
    for char in text:
        kind = unicodedata.category(char)
        if char in _SEPARATORS:
            out.append("-")
        elif kind[0] in "LMN" or char in _KEPT_PUNCTUATION:
            out.append(char)
        elif kind[0] == "Z" or kind == "Cc" or char in _REFUSED:
            out.append(" ")  # spaces, line breaks, tabs, NUL and other controls part words
        # else: emoji and other symbols, format characters (a bidi override), unassigned: dropped
    collapsed = " ".join("".join(out).split())
    return _DASHES.sub("-", collapsed)


def _fit(stem: str) -> str:
    """Cut to the limits, then trim what a name may not start or end with (dots, spaces, dashes)."""
    stem = stem.strip(" .-")[:MAX_CHARS]
    while len(stem.encode("utf-8")) > MAX_BYTES:
        stem = stem[:-1]
    return stem.strip(" .-")
