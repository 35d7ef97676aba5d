"""A saved row's HTML, and the renderer that makes it for a theme. No Qt: the render process
(``html_worker``) makes the same HTML as the view's own thread, from the same code."""

from __future__ import annotations

from desktop_app.core.conversation.diff_html import changes_summary, inline_diff
from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.core.rendering.theme import Theme
from desktop_app.core.rendering.turn_html import TurnHtml
from desktop_app.ui.conversation.view.rows import Row, RowKind


def configure(renderer: MarkdownRenderer, theme: Theme) -> None:
    """The renderer's colours for ``theme`` (its code boxes and highlighting)."""
    renderer.code_background = theme.code_background
    renderer.code_header_background = theme.code_header
    renderer.highlight_inline(theme.pygments_style)  # no highlighting stylesheet to apply


def saved_row_html(
    row: Row, turns: TurnHtml, renderer: MarkdownRenderer, outcome: dict[str, tuple[str, str]]
) -> str:
    """The whole HTML of a row that is not streaming (``outcome``: call id -> (text, level))."""
    if row.kind is RowKind.USER:
        return turns.user(row.text) + turns.attachments(row.attachments)
    if row.kind is RowKind.NOTICE:
        return turns.notice(row.text)
    parts = [turns.assistant_header(row.label or "Copilot")] if row.part == 0 else []
    if row.reasoning:
        parts.append(turns.reasoning(row.reasoning, row.key, expanded=False))
    start = 0
    content = row.text
    for marker in row.markers:
        cut = max(start, min(marker.offset, len(content)))
        if content[start:cut].strip():
            parts.append(renderer.render(content[start:cut]))
        text, level = outcome.get(marker.call_id, ("", ""))
        extra = inline_diff(marker.diff, turns.theme) if marker.diff is not None else ""
        parts.append(turns.tool_marker(marker.call_id, marker.label, text, level, extra))
        start = cut
    if content[start:].strip() or not row.markers:
        parts.append(renderer.render(content[start:]))
    parts.append(changes_summary(list(row.changes), turns.theme))
    if row.interrupted:
        parts.append(
            f'<p style="color:{turns.theme.muted}"><i>This reply was cut off when the app closed.</i></p>'
        )
    return "".join(parts)
