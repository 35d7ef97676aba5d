"""A file diff and a turn's Changes summary as HTML for the conversation and the tool panel. No Qt.

The inline block lives inside the tool marker's paragraph (spans and line breaks only), so the
marker's line can be rewritten in place as the call finishes, and a saved reply shows the same.
Each line is a ``code`` span (monospace without a font the sanitizer would drop), coloured by the
file's language (Pygments, inline styles, one line at a time so every span closes on its line) over
a green or red background. Paths and file text are model output: all
of it is escaped (Pygments escapes what it colours) and the caller sanitizes the result.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import TYPE_CHECKING

from desktop_app.core.conversation.file_diff import FileDiff, FileTotal, LineKind
from desktop_app.core.rendering.theme import Theme

if TYPE_CHECKING:
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer

INLINE_LINES = 8  # shown in the conversation; the rest open in the tool panel
HIGHLIGHTED_LINES = 400  # coloured by language; further lines are only escaped
TOOL_SCHEME = "tool"  # as ``turn_html.TOOL_SCHEME``: a link that opens the call in the tool panel


def _colours(theme: Theme) -> dict[LineKind, str]:
    if theme.name == "light":
        return {LineKind.ADDED: "#dafbe1", LineKind.REMOVED: "#ffebe9", LineKind.HUNK: theme.code_header}
    return {LineKind.ADDED: "#12351d", LineKind.REMOVED: "#421b1b", LineKind.HUNK: theme.code_header}


def counts(added: int, removed: int, theme: Theme) -> str:
    green, red = ("#1a7f37", "#d1242f") if theme.name == "light" else ("#3fb950", "#ff7b72")
    return f'<span style="color:{green}">+{added}</span> <span style="color:{red}">−{removed}</span>'


@lru_cache(maxsize=8)
def _formatter(style: str) -> HtmlFormatter[str]:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True, noclasses=True, nobackground=True, style=style)


@lru_cache(maxsize=64)
def _lexer(path: str) -> Lexer:
    from pygments.lexers import get_lexer_for_filename
    from pygments.lexers.special import TextLexer
    from pygments.util import ClassNotFound

    try:
        lexer: Lexer = get_lexer_for_filename(path.replace("\\", "/").rsplit("/", 1)[-1] or "x.txt")
        return lexer
    except (ClassNotFound, ValueError):
        return TextLexer()


def _code(text: str, path: str, theme: Theme, coloured: bool) -> str:
    if not coloured or not text.strip():
        return html.escape(text).replace(" ", "&nbsp;")
    from pygments import highlight

    body = highlight(text, _lexer(path), _formatter(theme.pygments_style)).rstrip("\n")
    return body.replace("\n", " ").replace("  ", "&nbsp; ")


def diff_lines(diff: FileDiff, theme: Theme, limit: int | None = None) -> str:
    """The diff's lines (``limit``: at most that many), each on its own line, marked + or minus."""
    if diff.binary:
        return f'<span style="color:{theme.muted}">Binary file: no diff shown</span>'
    backgrounds = _colours(theme)
    shown = diff.lines if limit is None else diff.lines[:limit]
    out = []
    for n, (kind, text) in enumerate(shown):
        if kind is LineKind.HUNK:
            out.append(f'<code style="color:{theme.muted}">{html.escape(text)}</code>')
            continue
        sign = {LineKind.ADDED: "+", LineKind.REMOVED: "−"}.get(kind, "&nbsp;")
        code = _code(text, diff.path, theme, n < HIGHLIGHTED_LINES)
        background = backgrounds.get(kind, theme.code_background)
        out.append(f'<code style="background-color:{background}">{sign}&nbsp;{code}&nbsp;</code>')
    return "<br>".join(out)


def _head(diff: FileDiff, theme: Theme) -> str:
    verb = "Created" if diff.created else "Edited"
    return (
        f'<span style="color:{theme.muted}">{verb}</span> <code>{html.escape(diff.path)}</code> '
        f"{counts(diff.added, diff.removed, theme)}"
    )


def inline_diff(diff: FileDiff, theme: Theme) -> str:
    """Under a tool marker: the path and counts, the first lines, and a link to the rest."""
    parts = [_head(diff, theme), diff_lines(diff, theme, INLINE_LINES)]
    hidden = len(diff.lines) - INLINE_LINES
    if hidden > 0 or diff.truncated:
        more = f"Show all ({hidden} more line{'s' if hidden != 1 else ''})" if hidden > 0 else "Show all"
        parts.append(
            f'<a href="{TOOL_SCHEME}:{html.escape(diff.call_id)}" style="font-size:small">{more}</a>'
        )
    return "<br>" + "<br>".join(p for p in parts if p)


def full_diff(diff: FileDiff, theme: Theme) -> str:
    """The whole diff, for the tool panel (as bounded as the diff itself)."""
    cut = (
        f'<br><span style="color:{theme.muted}">(cut: the change is too long)</span>'
        if diff.truncated
        else ""
    )
    return f"<p>{_head(diff, theme)}<br>{diff_lines(diff, theme)}{cut}</p>"


def changes_summary(files: list[FileTotal], theme: Theme) -> str:
    """At the end of a turn: every file it touched with its +/- counts; each opens its diff."""
    if not files:
        return ""
    rows = "".join(
        f'<br>• <a href="{TOOL_SCHEME}:{html.escape(total.call_id)}" style="text-decoration:none">'
        f"<code>{html.escape(total.path)}</code></a> {counts(total.added, total.removed, theme)}"
        + (f' <span style="color:{theme.muted}">(new)</span>' if total.created else "")
        for total in files
    )
    word = "file" if len(files) == 1 else "files"
    return (
        f'<p style="margin-top:6px"><b>Changes</b> <span style="color:{theme.muted}">'
        f"({len(files)} {word})</span>{rows}</p>"
    )
