"""The HTML export: one self-contained page, everything escaped or sanitized, tool calls in place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.html_format import export_html, tool_call_html
from tests.unit.storage.exchange.samples import SCRIPT, populate


def test_a_tool_call_in_html_is_escaped_everywhere() -> None:
    nasty = ToolCall(
        "c",
        SCRIPT,
        title=SCRIPT,
        command="run " + SCRIPT,
        arguments=SCRIPT,
        status=ToolStatus.FAILED,
        output=SCRIPT,
        result="done",
        error=SCRIPT,
        files=(SCRIPT,),
        permission=SCRIPT,
        decision=SCRIPT,
        started_at=1.0,
    )
    block = tool_call_html(nasty)
    assert "<script" not in block and block.count("&lt;script&gt;") == 8
    assert block.startswith('<div class="tool failed"><p class="tool-head">🔧 <strong>')


def test_html_export_is_self_contained_and_safe(make_store: Callable[[str], ConversationStore]) -> None:
    store = make_store("a")
    populate(store)
    page = export_html(load_conversations(store), tz=UTC)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and ".codehilite" in page
    assert "<script" not in page.lower()
    assert '&lt;script&gt;alert("pwned")&lt;/script&gt;' in page  # the user's words, escaped
    assert "&lt;script&gt;" in page.split('class="message assistant"')[1]  # the model's too
    assert "<details><summary>Reasoning</summary>" in page
    assert '<span class="nb">print</span>' in page  # highlighted code
    for external in ("<link", " src=", "@import", "url("):
        assert external not in page
    assert "Hello 👋 café" in page and "(interrupted)" in page
    plain = page[page.index("<h1>Plain</h1>") :]
    order = ["<p>Here is code:</p>", '<div class="tool done">', '<span class="nb">print</span>']
    order += [
        '<div class="tool failed"><p class="tool-head">↳ 🔧 <strong>edit</strong>',
        "<strong>bold</strong>",
    ]
    assert [plain.index(piece) for piece in order] == sorted(plain.index(piece) for piece in order)
    assert "<code>echo hi</code> · done · exit 0 · 1.2 s</p>" in plain
    assert '<p class="meta">Permission: Allowed once</p>' in plain
    assert '<section class="message tools"><header>Tool calls</header><div class="tool denied">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert 'href="copy:' not in page and "copy:code" not in page  # no app links in a browser
