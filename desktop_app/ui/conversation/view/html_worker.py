"""Messages' HTML made in a process of its own (no Qt is imported here or in what it imports).

Rendering a message (markdown, code highlighting, sanitizing) is two thirds of what showing it
costs, all of it pure Python; in another process it runs on another core while the screen's thread
only parses and lays out what comes back. The HTML is the one the view would make itself:
the same ``saved_row_html`` and ``sanitize.for_view``, for the same theme.
"""

from __future__ import annotations

from desktop_app.core.rendering import sanitize
from desktop_app.core.rendering.markdown_render import MarkdownRenderer
from desktop_app.core.rendering.theme import DARK, LIGHT
from desktop_app.core.rendering.turn_html import TurnHtml
from desktop_app.ui.conversation.view.row_html import configure, saved_row_html
from desktop_app.ui.conversation.view.rows import Row

THEMES = {theme.name: theme for theme in (LIGHT, DARK)}
Outcomes = dict[str, tuple[str, str]]

_renderers: dict[str, tuple[TurnHtml, MarkdownRenderer]] = {}  # by theme, in the render process


def render_rows(theme_name: str, rows: list[Row], outcomes: Outcomes) -> list[tuple[str, str]]:
    """Each row's key and sanitized HTML, in ``theme_name``'s colours."""
    made = _renderers.get(theme_name)
    if made is None:
        theme = THEMES[theme_name]
        renderer = MarkdownRenderer(clean=str)
        configure(renderer, theme)
        made = _renderers[theme_name] = (TurnHtml(theme), renderer)
    turns, renderer = made
    return [(row.key, sanitize.for_view(saved_row_html(row, turns, renderer, outcomes))) for row in rows]


def warm_up() -> bool:
    """Import and compile what rendering needs (run first, while nothing waits for it)."""
    from desktop_app.core.rendering.markdown_render import prewarm_lexers

    prewarm_lexers()
    render_rows(LIGHT.name, [], {})
    return True
