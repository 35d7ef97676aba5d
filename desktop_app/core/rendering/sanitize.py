"""The one HTML sanitizer: every rendering path's final HTML goes through an allowlist here.

Model output, tool output, imported conversations and MCP results are untrusted. The renderers
escape raw HTML already; this is the last line, so a bug in a markdown extension (attribute
lists on code fences, say) can never put a live tag, handler or foreign URL on screen. Three
profiles, one per destination:

- ``VIEW``: the Qt rich-text view. Qt's subset (tables styled by attributes, a few inline styles
  the app sets) and the app's own link schemes (``copy:``, ``tool:``, ``reasoning:``).
- ``EXPORT``: the self-contained HTML export; no app-internal links (dead in a browser).
- ``PAGE``: the live-share page, whose CSP forbids inline styles: no ``style`` at all.

No profile allows ``img``, ``meta``, ``link``, ``script``, ``style``, ``iframe``, forms, ``id``
or event handlers; URLs are limited to http(s)/mailto (plus the app's schemes in the view), and
relative URLs (``/etc/passwd``) are dropped.
"""

from __future__ import annotations

import html
from typing import Final

import nh3

from desktop_app.core.vocabulary.unicode_text import valid_unicode

WEB_SCHEMES: Final = frozenset({"http", "https", "mailto"})
APP_SCHEMES: Final = frozenset({"copy", "tool", "reasoning"})  # the chat view's own links

# What Python-Markdown (with tables, superfences and the renderer's code wrapper) and Pygments emit.
MARKDOWN_TAGS: Final = frozenset(
    {
        *(f"h{n}" for n in range(1, 7)),
        *("p", "br", "hr", "blockquote", "pre", "code", "span", "div"),
        *("a", "b", "i", "em", "strong", "del", "s", "sup", "sub", "u", "small", "kbd"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption"),
    }
)
# The export's own page structure around each message.
EXPORT_TAGS: Final = MARKDOWN_TAGS | {"article", "section", "header", "time", "details", "summary"}

_CELL: Final = {"align", "valign", "colspan", "rowspan", "bgcolor", "width"}
_TABLE: Final = {"border", "cellspacing", "cellpadding", "bgcolor", "width", "align"}
_PAGE_ATTRIBUTES: Final[dict[str, set[str]]] = {
    "*": {"class"},
    "a": {"href", "title"},
    "table": _TABLE,
    "td": _CELL,
    "th": _CELL,
    "ol": {"start"},
    "time": {"datetime"},
}
# Inline styles only where the app itself sets them (Qt reads tables and colours from these).
_STYLED: Final = ("p", "span", "b", "a", "pre", "code", "table", "td", "th", "div")
STYLE_PROPERTIES: Final = frozenset(
    {
        *("color", "background-color", "font-size", "font-weight", "font-style", "text-decoration"),
        *("text-align", "white-space", "margin-top", "margin-bottom", "margin-left"),
        *("border-color", "border-style"),
    }
)


def _with_style(attributes: dict[str, set[str]]) -> dict[str, set[str]]:
    styled = {tag: set(names) for tag, names in attributes.items()}
    for tag in _STYLED:
        styled.setdefault(tag, set()).add("style")
    return styled


_VIEW_ATTRIBUTES: Final = _with_style(_PAGE_ATTRIBUTES) | {"a": {"href", "title", "name", "style"}}

# Tags whose content goes too (not just the tag): scripts and styles are never text to show.
_DROP_WITH_CONTENT: Final = {"script", "style", "template", "noscript", "iframe", "object", "title"}


def _cleaner(
    tags: frozenset[str], attributes: dict[str, set[str]], schemes: frozenset[str], styles: bool
) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(tags),
        clean_content_tags=_DROP_WITH_CONTENT - tags,
        attributes=attributes,
        url_schemes=set(schemes),
        url_relative="deny",
        link_rel=None if APP_SCHEMES & schemes else "noopener noreferrer",
        filter_style_properties=set(STYLE_PROPERTIES) if styles else None,
        strip_comments=True,
    )


_VIEW: Final = _cleaner(MARKDOWN_TAGS, _VIEW_ATTRIBUTES, WEB_SCHEMES | APP_SCHEMES, styles=True)
_EXPORT: Final = _cleaner(EXPORT_TAGS, _with_style(_PAGE_ATTRIBUTES), WEB_SCHEMES, styles=True)
_PAGE: Final = _cleaner(EXPORT_TAGS, _PAGE_ATTRIBUTES, WEB_SCHEMES, styles=False)


def for_view(fragment: str) -> str:
    """HTML for the Qt view (``QTextDocument``): Qt's subset and the app's own links."""
    return _VIEW.clean(valid_unicode(fragment))


def for_export(fragment: str) -> str:
    """HTML for the exported file: no app links, nothing that loads or runs."""
    return _EXPORT.clean(valid_unicode(fragment))


def for_page(fragment: str) -> str:
    """HTML for the live-share page (CSP without inline styles): no ``style`` attributes."""
    return _PAGE.clean(valid_unicode(fragment))


def rich_text_tooltip(text: str) -> str:
    """Untrusted text as a Qt tooltip that shows it literally.

    Qt renders a tooltip as rich text when it merely looks like HTML (``Qt::mightBeRichText``), so
    a title like ``<img src=/dev/zero>`` would be parsed; escaped inside a paragraph it never is.
    """
    if not text:
        return ""
    return "<p>" + html.escape(text, quote=False).replace("\n", "<br>") + "</p>"
