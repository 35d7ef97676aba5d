"""Conversations as one self-contained web page: styles inline, nothing loaded, nothing run.

Model output goes through the safe Markdown renderer, everything else is escaped, and the whole body
goes through the export's sanitizer profile under a strict CSP; tool calls sit in their replies as
in the Markdown export.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo

from desktop_app.core.conversation.tool_calls import ToolCall
from desktop_app.core.storage.exchange.export_text import (
    ROLE_LABELS,
    attachment_text,
    format_time,
    in_export_order,
    status_note,
)
from desktop_app.core.storage.exchange.tool_call_layout import calls_by_message, interleave, summarize
from desktop_app.core.storage.models import ConversationWithMessages, Message, Role, SavedToolCall

_PAGE_CSS = """
body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       max-width: 860px; margin: 2em auto; padding: 0 1em; color: #1f2328; }
article + article { border-top: 2px solid #d0d7de; margin-top: 3em; }
.meta { color: #6a737d; font-size: 13px; }
.message { margin: 1.2em 0; padding: 0.6em 1em; border-radius: 8px; }
.message.user { background: #eef2ff; }
.message.notice { background: #fff8c5; }
.message header { font-weight: bold; color: #6e40c9; }
.message.user header { color: #1f4bb8; }
.message header .meta { font-weight: normal; }
.plain { white-space: pre-wrap; }
details { margin: 0.5em 0; color: #57606a; }
summary { cursor: pointer; }
pre { overflow-x: auto; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.error { color: #b42318; }
.tool { margin: 0.6em 0; padding: 0.1em 0.8em; border-left: 3px solid #d0d7de; font-size: 14px; }
.tool.failed, .tool.denied { border-left-color: #b42318; }
.tool p { margin: 0.3em 0; }
.tool ul { margin: 0.3em 0; }
@media print {
  body { max-width: none; margin: 0; }
  pre { white-space: pre-wrap; overflow-x: visible; }
  .message, pre, table { break-inside: avoid; }
}
"""
# The file runs nothing and loads nothing: no script, no remote (or local) style, image or font.
EXPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"
)


def _plain_html(text: str) -> str:
    return f'<div class="plain">{html.escape(text)}</div>'


def _details_html(summary: str, body: str) -> str:
    return f"<details><summary>{html.escape(summary)}</summary>{body}</details>"


def _code_html(text: str) -> str:
    return f"<pre><code>{html.escape(text)}</code></pre>"


def tool_call_html(call: ToolCall) -> str:
    """The HTML twin of ``markdown_format.tool_call_markdown``; everything in a tool call is escaped."""
    summary = summarize(call)
    head = f"{'↳ ' if summary.nested else ''}🔧 <strong>{html.escape(summary.name)}</strong>"
    if summary.what:
        head += f" — <code>{html.escape(summary.what)}</code>"
    parts = [f'<p class="tool-head">{head} · {html.escape(summary.facts)}</p>']
    if summary.decision:
        parts.append(f'<p class="meta">{html.escape("Permission: " + summary.decision)}</p>')
    if summary.error:
        parts.append(f'<p class="error">{html.escape("Error: " + summary.error)}</p>')
    details = [f"<p>{html.escape(label)}</p>{_code_html(text)}" for label, text, _lang in summary.sections]
    if summary.files:
        items = "".join(f"<li><code>{html.escape(f)}</code></li>" for f in summary.files)
        details.append(f"<p>Files changed</p><ul>{items}</ul>")
    if details:
        parts.append(_details_html("Details", "".join(details)))
    return f'<div class="tool {html.escape(call.status.value)}">{"".join(parts)}</div>'


def _attachments_html(message: Message) -> str:
    """What was attached, by name (escaped; images are named, never loaded: the page loads nothing),
    each text file's content folded under it."""
    items = "".join(f"<li>📎 {html.escape(a.summary)}</li>" for a in message.attachments)
    parts = [f'<ul class="attachments">{items}</ul>']
    for attachment in message.attachments:
        text = attachment_text(attachment)
        if text is not None:
            parts.append(_details_html(attachment.label, _code_html(text)))
    return "".join(parts)


def message_html(
    message: Message,
    render: Callable[[str], str],
    tool_calls: Sequence[SavedToolCall] = (),
    tz: tzinfo | None = None,
) -> str:
    """A message; model output goes through ``render`` (the safe Markdown renderer), the rest is escaped."""
    label = html.escape(
        ROLE_LABELS[message.role]
        + (f" ({message.model})" if message.role is Role.ASSISTANT and message.model else "")
    )
    when = datetime.fromtimestamp(message.created_at, tz).isoformat()
    meta = html.escape(format_time(message.created_at, tz) + status_note(message))
    parts = [f'<header>{label} <time class="meta" datetime="{when}">{meta}</time></header>']
    if message.reasoning.strip():
        parts.append(_details_html("Reasoning", render(message.reasoning)))
    for piece in interleave(message.content, tool_calls):
        if isinstance(piece, ToolCall):
            parts.append(tool_call_html(piece))
        elif piece.strip() or not tool_calls:
            parts.append(render(piece) if message.role is Role.ASSISTANT else _plain_html(piece))
    if message.attachments:
        parts.append(_attachments_html(message))
    if message.error:
        parts.append(f'<p class="error">{html.escape("Error: " + message.error)}</p>')
    return f'<section class="message {message.role.value}">{"".join(parts)}</section>'


def conversation_html(
    item: ConversationWithMessages, render: Callable[[str], str], tz: tzinfo | None = None
) -> str:
    conversation = item.conversation
    placed, loose = calls_by_message(item)
    title = html.escape(conversation.title or "Untitled conversation")
    started = html.escape(f"Started {format_time(conversation.created_at, tz)}")
    sections = [message_html(m, render, placed.get(m.id, ()), tz) for m in item.messages]
    if loose:
        calls = "".join(tool_call_html(saved.call) for saved in loose)
        sections.append(f'<section class="message tools"><header>Tool calls</header>{calls}</section>')
    body = "\n".join(sections)
    return f'<article>\n<h1>{title}</h1>\n<p class="meta">{started}</p>\n{body}\n</article>'


def export_html(items: Iterable[ConversationWithMessages], tz: tzinfo | None = None) -> str:
    """One HTML file with its styles inline and no external resources; no script from any message.

    The body goes through the export's sanitizer profile and the page carries a strict CSP, so
    even a renderer bug cannot make a stored conversation run or load anything; code blocks have
    no Copy links (the app's ``copy:`` scheme means nothing in a browser)."""
    # Imported here: Markdown and Pygments cost ~40 ms that JSON exports and imports need not pay.
    from desktop_app.core.rendering import sanitize
    from desktop_app.core.rendering.markdown_render import MarkdownRenderer, pygments_css

    ordered = in_export_order(items)
    renderer = MarkdownRenderer(code_header=False, clean=str)  # the whole body is sanitized once below
    title = ordered[0].conversation.title if len(ordered) == 1 else "Conversations"
    articles = sanitize.for_export("\n".join(conversation_html(c, renderer.render, tz) for c in ordered))
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{EXPORT_CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title or 'Untitled conversation')}</title>\n"
        f"<style>{_PAGE_CSS}\n{pygments_css()}\n</style>\n</head>\n<body>\n{articles}\n</body>\n</html>\n"
    )
