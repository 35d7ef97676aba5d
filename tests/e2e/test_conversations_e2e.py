"""Conversations are never lost: saved as they stream, reopened after a restart, resumed with context."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role, Status
from tests.conftest import wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import ask, endpoint_args
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio


def saved(data_dir: Path) -> ConversationStore:
    return ConversationStore(open_database(data_dir / "data").connection)


async def test_a_conversation_survives_a_restart_and_continues_with_context(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    args = endpoint_args(model_server, tmp_path)
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "My name is Ada")
        await ask(qtbot, window, "I like tea")
        conversation = window.controller.conversation
        assert conversation is not None and conversation.session_id
        assert window.windowTitle().startswith("My name is Ada")
        await wait_until(lambda: window.sidebar is not None and window.sidebar.model.rowCount() == 1)

    store = saved(tmp_path)
    rows = [(m.role, m.status, m.content) for m in store.messages(conversation.id)]
    assert rows[0] == (Role.USER, Status.COMPLETE, "My name is Ada")
    assert rows[1] == (
        Role.ASSISTANT,
        Status.COMPLETE,
        "Hello from the scripted model. You said: My name is Ada",
    )
    assert len(rows) == 4
    store.close()

    async with running_app(*args) as window:
        qtbot.addWidget(window)
        sidebar = window.sidebar
        assert sidebar is not None
        assert sidebar.model.rowCount() == 1
        assert sidebar.model.index(0).data() == "My name is Ada"
        sidebar.conversation_activated.emit(conversation.id)
        await wait_until(lambda: window.controller.session is not None, timeout=30)
        text = window.view.toPlainText()
        assert "You said: I like tea" in text  # shown at once from the store
        await ask(qtbot, window, "ECHO_HISTORY")
        assert "History: My name is Ada | I like tea | ECHO_HISTORY" in window.view.toPlainText()
        # Still one conversation, now with six messages.
        assert sidebar.model.rowCount() == 1
        assert window.controller.session is not None
        assert window.controller.session.session_id == conversation.session_id


async def test_new_conversation_and_switching_back(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "first topic")
        first = window.controller.conversation
        assert first is not None
        window.new_action.trigger()
        await wait_until(lambda: window.controller.conversation is None)
        assert window.view.toPlainText() == ""
        await ask(qtbot, window, "second topic")
        second = window.controller.conversation
        assert second is not None and second.id != first.id
        window.open_conversation(first.id)
        await wait_until(
            lambda: (
                window.controller.conversation is not None and window.controller.conversation.id == first.id
            )
        )
        assert "first topic" in window.view.toPlainText()
        assert "second topic" not in window.view.toPlainText()


async def test_drafts_are_kept_per_conversation(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    args = endpoint_args(model_server, tmp_path)
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "hello")
        conversation = window.controller.conversation
        assert conversation is not None
        qtbot.keyClicks(window.composer, "half-written thought")
        await asyncio.sleep(0.6)  # the draft is saved shortly after typing stops
        store = saved(tmp_path)
        assert store.get_conversation(conversation.id).draft == "half-written thought"  # type: ignore[union-attr]
        store.close()
        window.new_action.trigger()
        await wait_until(lambda: window.controller.conversation is None)
        qtbot.keyClicks(window.composer, "unsent new one")
        await asyncio.sleep(0.6)
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        assert window.composer.toPlainText() == "unsent new one"
        window.open_conversation(conversation.id)
        await wait_until(lambda: window.composer.toPlainText() == "half-written thought")


async def test_search_opens_the_conversation_at_the_message(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "Tell me about zebras")
        first = window.controller.conversation
        assert first is not None
        for i in range(6):
            await ask(qtbot, window, f"STREAM 60 filler {i}")
        window.new_action.trigger()
        await wait_until(lambda: window.controller.conversation is None)
        await ask(qtbot, window, "something else entirely")
        window.search_action.trigger()
        dialog = window._search_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.query.setText("zebras")
        dialog.run_search()
        assert dialog.results.count() == 2  # the prompt and the reply that echoed it
        dialog.choose_current()
        await wait_until(
            lambda: (
                window.controller.conversation is not None and window.controller.conversation.id == first.id
            )
        )
        assert not dialog.isVisible()
        assert "filler 5" in window.view.toPlainText()
        assert window.view.verticalScrollBar().value() < window.view.verticalScrollBar().maximum()


async def test_trash_with_undo(qtbot: QtBot, model_server: ModelServer, tmp_path: Path) -> None:
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "keep me")
        conversation = window.controller.conversation
        sidebar = window.sidebar
        assert conversation is not None and sidebar is not None
        await wait_until(lambda: sidebar.model.rowCount() == 1)
        sidebar.trash(conversation.id)
        await wait_until(lambda: sidebar.model.rowCount() == 0)
        await wait_until(lambda: window.controller.conversation is None)  # it was open
        await wait_until(lambda: window.banner.button("Undo") is not None)  # once the switch settled
        undo = window.banner.button("Undo")
        assert undo is not None and "keep me" in window.banner.label.text()
        undo.click()
        await wait_until(lambda: sidebar.model.rowCount() == 1)
        sidebar.toggle_pin(conversation.id)
        await wait_until(lambda: sidebar.model.index(0).data() == "★ keep me")


async def make_terminal_session(data_dir: Path, server: ModelServer, prompt: str) -> str:
    """A session created the way the terminal CLI would: straight through the SDK, same homes."""
    import os

    from copilot import CopilotClient, RuntimeConnection
    from copilot.session import PermissionHandler

    from desktop_app.core.copilot.cli_discovery import find_cli
    from desktop_app.core.copilot.event_mapping import from_sdk
    from desktop_app.core.copilot.service import close_process_pipes
    from desktop_app.core.vocabulary.events import Idle

    connection = RuntimeConnection.for_stdio(path=str(find_cli().path))
    (data_dir / "cli-home").mkdir(parents=True, exist_ok=True)
    connection.env = {**os.environ, "HOME": str(data_dir / "cli-home")}
    client = CopilotClient(connection=connection, base_directory=str(data_dir / "copilot-home"))
    idle = asyncio.Event()
    try:
        session = await client.create_session(
            model="scripted-model",
            provider={"type": "openai", "base_url": server.base_url},
            streaming=True,
            available_tools=[],
            on_permission_request=PermissionHandler.approve_all,
            on_event=lambda e: isinstance(from_sdk(e), Idle) and idle.set(),
        )
        await session.send(prompt)
        await asyncio.wait_for(idle.wait(), 60)
        session_id = str(session.session_id)
        await session.disconnect()
    finally:
        process = getattr(client, "_cli_process", None)
        await client.stop()
        close_process_pipes(process)
    return session_id


async def test_copilot_cli_sessions_can_be_imported(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    session_id = await make_terminal_session(tmp_path, model_server, "hello from the terminal")
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "made in the app")
        window.import_cli_action.trigger()
        await wait_until(lambda: "Imported 1 Copilot CLI session" in window.banner.label.text(), timeout=30)
        assert "(1 already here)" in window.banner.label.text()  # the app's own session is skipped
        store = window.controller.store
        assert store is not None
        imported = store.find_by_session(session_id)
        assert imported is not None and imported.title == "hello from the terminal"
        contents = [m.content for m in store.messages(imported.id)]
        assert contents == [
            "hello from the terminal",
            "Hello from the scripted model. You said: hello from the terminal",
        ]
        # Importing again adds nothing.
        window.import_cli_action.trigger()
        await wait_until(
            lambda: "Imported 0 Copilot CLI sessions (2 already here)" in window.banner.label.text(),
            timeout=30,
        )
        # And it continues in the app with its history.
        window.open_conversation(imported.id)
        await wait_until(
            lambda: (
                window.controller.conversation is not None
                and window.controller.conversation.id == imported.id
                and window.controller.session is not None
            ),
            timeout=30,
        )
        await ask(qtbot, window, "ECHO_HISTORY")
        assert "History: hello from the terminal | ECHO_HISTORY" in window.view.toPlainText()


@pytest.mark.expected_warnings
async def test_a_database_from_a_newer_app_is_left_alone(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    import sqlite3

    db_path = tmp_path / "data" / "conversations.sqlite3"
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE future (x)")
        db.execute("PRAGMA user_version = 99")
    original = db_path.read_bytes()
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        assert window.controller.store is None and window.sidebar is None
        text = window.view.toPlainText()
        assert "newer version of Copilot Desktop" in text and "not saved" in text
        await ask(qtbot, window, "still works")
        assert "You said: still works" in window.view.toPlainText()
    assert db_path.read_bytes() == original


@pytest.mark.expected_warnings
async def test_a_corrupt_database_is_kept_aside_and_a_fresh_one_used(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    db_path = tmp_path / "data" / "conversations.sqlite3"
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not a database" * 100)
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        assert "damaged" in window.view.toPlainText()
        await ask(qtbot, window, "saved in the new one")
        assert window.controller.store is not None
        assert window.controller.store.count_conversations() == 1
    kept = list((tmp_path / "data").glob("conversations.corrupt-*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"this is not a database" * 100


async def test_a_conversation_whose_session_is_gone_opens_read_only(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    import shutil

    args = endpoint_args(model_server, tmp_path)
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "remember the number 7")
        conversation = window.controller.conversation
        assert conversation is not None and conversation.session_id
    # The CLI forgets the session (e.g. its history was cleaned up).
    shutil.rmtree(tmp_path / "copilot-home" / "session-state" / conversation.session_id)
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        window.open_conversation(conversation.id)
        await wait_until(lambda: window.controller.read_only, timeout=30)
        assert "remember the number 7" in window.view.toPlainText()  # still readable
        assert "read-only" in window.banner.label.text()
        assert not window.send_button.isEnabled()
        assert window.controller.send("ignored") is False
        button = window.banner.button("Continue in a new session")
        assert button is not None
        button.click()
        assert window.send_button.isEnabled()
        await ask(qtbot, window, "ECHO_HISTORY")
        assert "History: ECHO_HISTORY" in window.view.toPlainText()  # a fresh session
        store = window.controller.store
        assert store is not None
        updated = store.get_conversation(conversation.id)
        assert updated is not None and updated.session_id not in (None, conversation.session_id)
        assert len(store.messages(conversation.id)) == 4  # one conversation, both exchanges
