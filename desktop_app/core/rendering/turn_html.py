"""The HTML of the parts of a conversation that are not the model's markdown (no Qt here)."""

from __future__ import annotations

import html

from desktop_app.core.rendering.markdown_render import COPY_SCHEME
from desktop_app.core.rendering.theme import Theme

TOOL_SCHEME = "tool"  # a marker's link: tool:<call id>
REASONING_SCHEME = "reasoning"  # a reasoning block's show/hide link: reasoning:<key>


def base_css(theme: Theme, font_pt: float = 10.5) -> str:
    """The view's stylesheet; text follows the system font size (``font_pt``), headings scale with it."""
    size = font_pt if font_pt > 0 else 10.5
    return f"""
body {{ font-size: {size:.1f}pt; }}
pre, code {{ font-family: 'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace; }}
code {{ background-color: {theme.inline_code_background}; }}
pre code {{ background-color: transparent; }}
h1 {{ font-size: {size * 1.5:.1f}pt; }} h2 {{ font-size: {size * 1.3:.1f}pt; }}
h3 {{ font-size: {size * 1.15:.1f}pt; }}
th {{ background-color: {theme.table_header}; }}
blockquote {{ color: {theme.muted}; margin-left: 12px; }}
"""


class TurnHtml:
    """The HTML of the parts of a conversation that are not the model's markdown."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def user(self, text: str) -> str:
        body = html.escape(text).replace("\n", "<br>")
        t = self.theme
        return (
            f'<table class="turn" width="100%" cellpadding="8" bgcolor="{t.user_background}" '
            f'style="margin-top:12px"><tr><td><b style="color:{t.user_label}">You</b><br>{body}'
            "</td></tr></table>"
        )

    def assistant_header(self, key: str, label: str = "Copilot") -> str:
        links = (
            f'<a href="{COPY_SCHEME}:message-{key}">Copy</a> · '
            f'<a href="{COPY_SCHEME}:markdown-{key}">Copy as markdown</a>'
        )
        return (
            f'<p style="margin-top:12px"><b style="color:{self.theme.assistant_label}">'
            f"{html.escape(label)}</b>"
            f'&nbsp;&nbsp;<span style="font-size:small">{links}</span></p>'
        )

    def reasoning(self, reasoning: str, key: str = "", expanded: bool = True) -> str:
        """The model's reasoning in a box; collapsed, only its show link and length remain."""
        return (
            f'<table class="reasoning" width="100%" cellpadding="4" style="margin-top:4px">'
            f"<tr><td>{self.reasoning_body(reasoning, key, expanded)}</td></tr></table>"
        )

    def reasoning_body(self, reasoning: str, key: str, expanded: bool) -> str:
        muted = self.theme.muted
        words = len(reasoning.split())
        arrow = "▾" if expanded else "▸"
        toggle = "hide" if expanded else "show"
        head = f"{arrow} Thinking ({words} word{'s' if words != 1 else ''})"
        if key:
            head += (
                f' &nbsp;<a href="{REASONING_SCHEME}:{html.escape(key)}" style="font-size:small">{toggle}</a>'
            )
        body = ""
        if expanded:
            text = html.escape(reasoning.strip()).replace("\n", "<br>")
            body = f"<br><i>Thinking: {text}</i>"
        return f'<span style="color:{muted}">{head}{body}</span>'

    def tool_marker(self, call_id: str, label: str) -> str:
        """One line for a tool call in the transcript (its label is model output: escaped)."""
        shown = label if len(label) <= 160 else label[:157] + "…"
        key = html.escape(call_id)
        return (
            f'<p style="margin-top:4px; margin-bottom:4px"><a name="tool-{key}"></a>'
            f'<a href="{TOOL_SCHEME}:{key}" '
            f'style="text-decoration:none; color:{self.theme.muted}">⚙ <code>{html.escape(shown)}</code>'
            "</a></p>"
        )

    def notice(self, text: str, level: str = "info") -> str:
        colours = self.theme.notices
        colour = colours.get(level, colours["info"])
        body = html.escape(text).replace("\n", "<br>")
        return (
            f'<table class="notice" width="100%" cellpadding="6" bgcolor="{colour}" '
            f'style="margin-top:8px"><tr><td>{body}</td></tr></table>'
        )
