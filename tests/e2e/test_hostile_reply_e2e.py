"""A reply written to attack the app: the window stays alive and responsive, the HTML export and
the share page carry no live tag or handler, and the conversation reopens after a restart."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.share.render import HtmlRenderer
from desktop_app.core.store.export import export_html, load_conversations
from desktop_app.ui.safe_document import NoResourceDocument
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask, endpoint_args
from tests.e2e.test_conversations_e2e import saved
from tests.model_server import ModelServer
from tests.unit.test_sanitize_fuzz import EXPORT_DOCUMENT_TAGS, EXPORT_TAGS, assert_inert

pytestmark = pytest.mark.asyncio


async def test_a_hostile_reply_leaves_everything_alive_and_inert(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    args = endpoint_args(model_server, tmp_path)
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "HOSTILE please")
        text = window.view.toPlainText()
        assert "The end." in text and "<img src=/dev/zero> shown as text" in text
        assert "See the host and the docs." in text  # the unparsable URL is text, the late one a link
        assert 'href="https://example.com/docs"' in window.view.toHtml()
        document = window.view.document()
        assert isinstance(document, NoResourceDocument) and not document.refused
        started = time.perf_counter()
        await ask(qtbot, window, "SHORT still responsive")  # the window takes the next prompt
        assert time.perf_counter() - started < 30
        conversation = window.controller.conversation
        assert conversation is not None

    store = saved(tmp_path)
    items = load_conversations(store, [conversation.id])
    page = export_html(items)
    assert_inert(page[page.index("<body>") :], EXPORT_DOCUMENT_TAGS, app_links=False)
    assert "Content-Security-Policy" in page and "The end." in page
    reply = next(m for m in items[0].messages if "The end." in m.content)
    assert_inert(HtmlRenderer().markdown(reply.content), EXPORT_TAGS, app_links=False)
    store.close()

    async with running_app(*args) as window:  # reopened after a restart
        qtbot.addWidget(window)
        sidebar = window.sidebar
        assert sidebar is not None
        await wait_until(lambda: sidebar.model.rowCount() == 1)
        sidebar.conversation_activated.emit(conversation.id)
        await wait_until(lambda: "The end." in window.view.toPlainText(), timeout=30)
        assert "Received" in window.view.toPlainText()
