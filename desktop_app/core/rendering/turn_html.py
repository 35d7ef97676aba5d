"""The HTML of the parts of a conversation that are not the model's markdown (no Qt here).

Each message is its own document in the view, which paints the bubbles and cards around them; these
are the documents' contents. Everything here that came from a model or a user is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from desktop_app.core.rendering.theme import Theme
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind, human_size

TOOL_SCHEME = "tool"  # a marker's link: tool:<call id>
REASONING_SCHEME = "reasoning"  # a reasoning block's show/hide link: reasoning:<key>
PICTURE_ANCHOR = "attachment-picture-"  # + the attachment's index: where the view puts its picture
BODY_PX = 15  # the reading size (px) unless the system's font is larger


def base_css(theme: Theme, font_px: float = BODY_PX) -> str:
    """Every message document's stylesheet: comfortable reading type (line height 1.5), headings
    that scale with it; ``font_px`` follows the system font when that is larger."""
    size = max(font_px, BODY_PX)
    return f"""
body {{ font-size: {size:.0f}px; }}
p, li, blockquote {{ line-height: 150%; }}
pre, code {{ font-family: 'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace; font-size: {size - 1:.0f}px; }}
code {{ background-color: {theme.inline_code_background}; }}
pre code {{ background-color: transparent; }}
h1 {{ font-size: {size * 1.45:.0f}px; }} h2 {{ font-size: {size * 1.28:.0f}px; }}
h3 {{ font-size: {size * 1.12:.0f}px; }}
th {{ background-color: {theme.table_header}; }}
blockquote {{ color: {theme.muted}; margin-left: 12px; }}
"""


def _lines(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


class TurnHtml:
    """The HTML of the parts of a conversation that are not the model's markdown."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def user(self, text: str) -> str:
        """A prompt, as typed (the view draws its bubble)."""
        return f"<p>{_lines(text)}</p>"

    def attachments(self, attachments: Sequence[Attachment]) -> str:
        """Under a prompt: what went with it, each by its (cleaned, escaped) name and size. Each icon
        is a named anchor the view replaces with a picture (an image's thumbnail from the stored
        bytes, the app's icon for a file): no ``img`` here, no HTML ever names a picture, so none
        can come from the text."""
        if not attachments:
            return ""
        icons = {AttachmentKind.IMAGE: "🖼", AttachmentKind.TEXT: "📄", AttachmentKind.FOLDER: "📁"}
        items = [
            f'<a name="{PICTURE_ANCHOR}{n}">{icons[a.kind]}</a> {html.escape(a.label)}'
            + ("" if a.kind is AttachmentKind.FOLDER else f" ({human_size(a.size)})")
            for n, a in enumerate(attachments)
        ]
        return f'<p style="color:{self.theme.muted}; font-size:small">{"<br>".join(items)}</p>'

    def assistant_header(self, label: str = "Copilot") -> str:
        """The reply's author, named by its real source, once above the reply."""
        return (
            f'<p style="margin-bottom:2px"><b style="color:{self.theme.assistant_label}">'
            f"{html.escape(label)}</b></p>"
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
            body = f"<br><i>Thinking: {_lines(reasoning.strip())}</i>"
        return f'<span style="color:{muted}">{head}{body}</span>'

    def tool_marker(
        self, call_id: str, label: str, outcome: str = "", level: str = "", extra: str = ""
    ) -> str:
        """One line for a tool call in the transcript (its label is model output: escaped), with
        its outcome once known (allowed, denied, exit code); ``extra``: inline HTML under it, in
        the same paragraph (a file's diff)."""
        inline = self.tool_marker_inline(call_id, label, outcome, level, extra)
        return f'<p style="margin-top:4px; margin-bottom:4px">{inline}</p>'

    def tool_marker_inline(
        self, call_id: str, label: str, outcome: str = "", level: str = "", extra: str = ""
    ) -> str:
        """The marker's line without its paragraph (to replace it in place)."""
        shown = label if len(label) <= 160 else label[:157] + "…"
        key = html.escape(call_id)
        colours = {"error": "#d1242f", "ok": "#1a7f37"} if self.theme.name == "light" else {}
        colours = colours or {"error": "#ff7b72", "ok": "#3fb950"}
        tail = ""
        if outcome:
            colour = colours.get(level, self.theme.muted)
            tail = f' <span style="color:{colour}">· {html.escape(outcome)}</span>'
        return (
            f'<a name="tool-{key}"></a><a href="{TOOL_SCHEME}:{key}" '
            f'style="text-decoration:none; color:{self.theme.muted}">⚙ <code>{html.escape(shown)}</code>'
            f"</a>{tail}{extra}"
        )

    def notice(self, text: str) -> str:
        """A message from the app (the view draws its card in the level's colour)."""
        return f"<p>{_lines(text)}</p>"
