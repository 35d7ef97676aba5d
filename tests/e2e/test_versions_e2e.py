"""Edit, Regenerate, their versions and Branch from here, with the real CLI and the scripted model.

``ECHO_HISTORY`` prompts make the model answer with every user message it was sent, and the model
server keeps each request, so these tests read the history the model saw, not the one we show.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.models import Role
from desktop_app.ui.conversation.actions import version_navigator
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_signal, wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask, endpoint_args
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio


def users_seen(request: dict[str, Any]) -> list[str]:
    """The user messages of one model request (the prompt text of each)."""
    seen = []
    for m in request["body"]["messages"]:
        if m["role"] == "user":
            content = m["content"]
            text = content if isinstance(content, str) else " ".join(p.get("text", "") for p in content)
            seen.append(re.sub(r"^<current_datetime>.*?</current_datetime>\s*", "", text, flags=re.S))
    return seen


def saved(window: ChatWindow) -> list[tuple[str, str]]:
    store, conversation = window.controller.store, window.controller.conversation
    assert store is not None and conversation is not None
    return [(m.role.value, m.content) for m in store.messages(conversation.id)]


def prompt_id(window: ChatWindow, text: str) -> str:
    store, conversation = window.controller.store, window.controller.conversation
    assert store is not None and conversation is not None
    return next(m.id for m in store.messages(conversation.id) if m.role is Role.USER and m.content == text)


async def reply_to(window: ChatWindow, action: Any) -> None:
    """Run an action that sends a prompt and wait until its reply is over."""
    finished = asyncio.ensure_future(wait_signal(window.controller.reply_finished, 60))
    await asyncio.sleep(0)
    await action
    await finished
    await wait_until(lambda: not window.controller.busy, timeout=30)


async def test_edit_rewinds_the_model_history_and_keeps_the_old_prompt_as_a_version(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        await ask(qtbot, window, "ECHO_HISTORY one")
        await ask(qtbot, window, "ECHO_HISTORY two")
        versions = window.controller.versions
        old_session = window.controller.conversation.session_id  # type: ignore[union-attr]

        await reply_to(window, versions.edit(prompt_id(window, "ECHO_HISTORY two"), "ECHO_HISTORY deux"))
        seen = users_seen(model_server.chat_requests()[-1])
        assert [s for s in seen if "ECHO_HISTORY" in s] == ["ECHO_HISTORY one", "ECHO_HISTORY deux"]
        assert [text for _role, text in saved(window)][2:] == [
            "ECHO_HISTORY deux",
            "History: ECHO_HISTORY one | ECHO_HISTORY deux",
        ]
        new = prompt_id(window, "ECHO_HISTORY deux")
        place = versions.places()[new]
        assert (place.position, place.count) == (2, 2)
        assert window.controller.conversation.session_id != old_session  # type: ignore[union-attr]

        # Back to the first version: its messages, its session, and the model's history with them.
        await versions.step(new, -1)
        assert [text for _role, text in saved(window)][2] == "ECHO_HISTORY two"
        assert window.controller.conversation.session_id == old_session  # type: ignore[union-attr]
        assert "History: ECHO_HISTORY one | ECHO_HISTORY two" in window.view.toPlainText()
        await ask(qtbot, window, "ECHO_HISTORY three")
        seen = users_seen(model_server.chat_requests()[-1])
        assert [s for s in seen if "ECHO_HISTORY" in s] == [
            "ECHO_HISTORY one",
            "ECHO_HISTORY two",
            "ECHO_HISTORY three",
        ]


async def test_regenerate_asks_the_prompt_again_once(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        await ask(qtbot, window, "ECHO_HISTORY alpha")
        await ask(qtbot, window, "ECHO_HISTORY beta")
        store, cid = window.controller.store, window.controller.conversation.id  # type: ignore[union-attr]
        assert store is not None
        reply = store.messages(cid)[-1]
        before = len(model_server.chat_requests())

        await reply_to(window, window.controller.versions.regenerate(reply.id))
        assert len(model_server.chat_requests()) == before + 1
        seen = users_seen(model_server.chat_requests()[-1])
        assert [s for s in seen if "ECHO_HISTORY" in s] == ["ECHO_HISTORY alpha", "ECHO_HISTORY beta"]
        assert [role for role, _text in saved(window)] == ["user", "assistant", "user", "assistant"]
        place = window.controller.versions.places()[prompt_id(window, "ECHO_HISTORY beta")]
        assert (place.position, place.count) == (2, 2)
        assert window.view.toPlainText().count("ECHO_HISTORY beta") == 2  # the prompt, and the answer


async def test_branch_from_here_holds_the_history_up_to_the_chosen_reply(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        await ask(qtbot, window, "ECHO_HISTORY first")
        await ask(qtbot, window, "ECHO_HISTORY second")
        store, origin = window.controller.store, window.controller.conversation
        assert store is not None and origin is not None
        first_reply = store.messages(origin.id)[1]

        opened = asyncio.ensure_future(wait_signal(window.controller.versions.branch_opened, 30))
        await asyncio.sleep(0)
        await window.controller.versions.branch(first_reply.id)
        (branch_id,) = await opened
        branch = store.get_conversation(branch_id)
        assert branch is not None and branch.origin_id == origin.id
        assert [m.content for m in store.messages(branch_id)] == [
            "ECHO_HISTORY first",
            "History: ECHO_HISTORY first",
        ]
        last = store.messages(origin.id)[-1].content
        assert last == "History: ECHO_HISTORY first | ECHO_HISTORY second"  # the origin is as it was

        await window.controller.open_conversation(branch_id)
        await wait_until(lambda: window.controller.session is not None, timeout=30)
        await ask(qtbot, window, "ECHO_HISTORY elsewhere")
        seen = users_seen(model_server.chat_requests()[-1])
        assert [s for s in seen if "ECHO_HISTORY" in s] == ["ECHO_HISTORY first", "ECHO_HISTORY elsewhere"]


async def test_the_window_edits_a_prompt_and_its_navigator_steps_back(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    """As a person does it: Edit from the prompt's menu, change the text in the composer, Enter; then
    the back arrow under the prompt brings the first version back."""
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        await ask(qtbot, window, "ECHO_HISTORY original")
        view = window.view
        index = view.row_index(prompt_id(window, "ECHO_HISTORY original"))
        menu = view.message_actions.menu(index, view.rows[index], view)
        edit = next(a for a in menu.actions() if a.text() == "Edit")
        edit.trigger()
        assert window.edit_banner.isVisible() and window.composer.toPlainText() == "ECHO_HISTORY original"
        window.composer.selectAll()
        finished = asyncio.ensure_future(wait_signal(window.controller.reply_finished, 60))
        await asyncio.sleep(0)
        qtbot.keyClicks(window.composer, "ECHO_HISTORY changed")
        qtbot.keyClick(window.composer, Qt.Key.Key_Return)
        await finished
        await wait_until(lambda: not window.controller.busy, timeout=30)
        assert not window.edit_banner.isVisible() and window.composer.toPlainText() == ""
        await wait_until(lambda: "History: ECHO_HISTORY changed" in view.toPlainText(), timeout=10)
        assert "ECHO_HISTORY original" not in view.toPlainText()
        changed = prompt_id(window, "ECHO_HISTORY changed")
        await wait_until(lambda: view.rows[view.row_index(changed)].version == (2, 2), timeout=10)

        row = view.row_index(changed)
        view.scroll_to_row(row)
        strip = view.column.strip(view.rows[row], view.row_top(row), view.document_for(row))
        back, _label, _forward = version_navigator.parts(strip, (2, 2), QFontMetricsF(view.font()))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=back.center().toPoint())
        await wait_until(lambda: "History: ECHO_HISTORY original" in view.toPlainText(), timeout=30)
        original = prompt_id(window, "ECHO_HISTORY original")
        await wait_until(lambda: view.rows[view.row_index(original)].version == (1, 2), timeout=10)


async def test_regenerate_with_another_model_asks_that_model(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    """The reply's Regenerate menu lists the endpoint's other model; choosing it asks that model the
    same prompt, once, and the conversation goes on with it."""
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        window.show()
        await ask(qtbot, window, "ECHO_HISTORY monad")
        await wait_until(lambda: bool(window.controller.models.models), timeout=30)
        view = window.view
        store, cid = window.controller.store, window.controller.conversation.id  # type: ignore[union-attr]
        assert store is not None
        reply = view.row_index(store.messages(cid)[-1].id)
        view.adopt_ids(store.messages(cid))
        view.hover_bar.show_for(reply, view.rows[reply])
        finished = asyncio.ensure_future(wait_signal(window.controller.reply_finished, 60))
        await asyncio.sleep(0)
        view.hover_bar.buttons["Regenerate"].click()
        menu = view.hover_bar.last_menu
        assert menu is not None
        choice = next(a for a in menu.actions() if a.text() == "other-model")
        choice.trigger()
        await finished
        await wait_until(lambda: not window.controller.busy, timeout=30)
        request = model_server.chat_requests()[-1]
        assert request["body"]["model"] == "other-model"
        assert [s for s in users_seen(request) if "ECHO_HISTORY" in s] == ["ECHO_HISTORY monad"]
        assert [m.model for m in store.messages(cid) if m.role is Role.ASSISTANT] == ["other-model"]
        assert window.controller.settings.model == "other-model"
