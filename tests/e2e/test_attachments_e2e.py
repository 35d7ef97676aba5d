"""Attachments end to end: pasted into the composer, through the real SDK and CLI, to the scripted
model; kept by the store across a restart and through the JSON backup."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from desktop_app.core.config.paths import AppPaths
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.json_format import export_json
from desktop_app.core.storage.exchange.json_import import import_json
from desktop_app.core.vocabulary.access import Mode
from desktop_app.core.vocabulary.attachments import AttachmentKind
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_signal, wait_until
from tests.e2e.conftest import running_app
from tests.e2e.test_chat_e2e import endpoint_args
from tests.model_server import ModelServer
from tests.qt.conversation.composer.test_attachment_chips import images_in

pytestmark = pytest.mark.asyncio


def png(side: int = 4) -> bytes:
    """A real PNG (the CLI decodes images and leaves out one that does not decode)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * side for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def last_user_parts(server: ModelServer) -> list[dict[str, Any]]:
    content = server.chat_requests()[-1]["body"]["messages"][-1]["content"]
    return content if isinstance(content, list) else [{"type": "text", "text": content}]


def paste(window: ChatWindow, mime: QMimeData) -> None:
    """Ctrl+V in the composer with ``mime`` on the clipboard."""
    QGuiApplication.clipboard().setMimeData(mime)
    window.composer.setFocus()
    window.composer.paste()


async def send(qtbot: QtBot, window: ChatWindow, prompt: str) -> None:
    finished = wait_signal(window.controller.reply_finished, 60)
    qtbot.keyClicks(window.composer, prompt)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    await finished


def uri_list(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setData("text/uri-list", f"{path.as_uri()}\r\n".encode())
    return mime


async def test_a_pasted_png_reaches_the_model_as_an_image_part(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        mime = QMimeData()
        mime.setImageData(QImage.fromData(png()))
        paste(window, mime)
        assert [chip.name.text() for chip in window.attachments.chips] == ["Pasted image.png"]
        assert not window.attachments.chips[0].picture.pixmap().isNull()  # its thumbnail
        assert window.composer.toPlainText() == ""  # the image is not pasted as text
        await send(qtbot, window, "SHORT what is in the picture?")
        parts = last_user_parts(model_server)
        images = [p for p in parts if p["type"] == "image_url"]
        assert len(images) == 1 and images[0]["image_url"]["url"].startswith("data:image/png;base64,")
        sent = base64.b64decode(images[0]["image_url"]["url"].split(",", 1)[1])
        assert QImage.fromData(sent).size() == QImage.fromData(png()).size()
        assert window.attachments.chips == [] and window.attachments.isHidden()  # sent with the prompt


async def test_a_pasted_uri_list_goes_as_text_in_chat_and_as_a_file_in_agent_mode(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "work" / "notes.md"
    notes.parent.mkdir()
    notes.write_text("# Notes\nThe password is PAPAYA-42.\n", encoding="utf-8")
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        paste(window, uri_list(notes))
        assert [chip.name.text() for chip in window.attachments.chips] == ["notes.md"]
        await send(qtbot, window, "SHORT summarise the notes")
        text = "\n".join(p.get("text", "") for p in last_user_parts(model_server))
        assert "The password is PAPAYA-42." in text and 'name="notes.md"' in text
    args = (*endpoint_args(model_server, shared_data_dir), "--agent", str(notes.parent))
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        assert window.controller.access().mode is Mode.AGENT
        paste(window, uri_list(notes))
        await send(qtbot, window, "SHORT read the notes")
        text = "\n".join(p.get("text", "") for p in last_user_parts(model_server))
        assert str(notes) in text  # named, for the agent to read with its tools
        assert "PAPAYA-42" not in text  # not inlined


async def test_a_folder_picked_with_the_attach_menu_goes_as_a_directory_in_agent_mode(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "main.py").write_text("print('hi')\n", encoding="utf-8")
    args = (*endpoint_args(model_server, shared_data_dir), "--agent", str(tmp_path))
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        [button] = [b for b in window.findChildren(QToolButton) if b.accessibleName() == "Attach files"]
        menu = button.menu()
        assert menu is not None
        folder = menu.actions()[1]
        menu.aboutToShow.emit()
        assert folder.isEnabled()
        folder.trigger()
        dialog = button.property("dialog")
        dialog.filesSelected.emit([str(project / "src")])
        dialog.reject()
        assert [(c.name.text(), c.size_label.text()) for c in window.attachments.chips] == [("src", "folder")]
        await send(qtbot, window, "SHORT look in the folder")
        text = "\n".join(p.get("text", "") for p in last_user_parts(model_server))
        assert str(project / "src") in text  # named, for the agent's tools to look inside
        assert "print('hi')" not in text


async def test_attachments_survive_a_restart_and_the_json_round_trip(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    notes = tmp_path / "notes.txt"
    notes.write_text("remember the milk\n", encoding="utf-8")
    args = endpoint_args(model_server, data_dir)
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        image = QMimeData()
        image.setImageData(QImage.fromData(png()))
        paste(window, image)
        paste(window, uri_list(notes))
        await send(qtbot, window, "SHORT keep these")
        conversation = window.controller.conversation
        assert conversation is not None
    notes.unlink()  # the store has its own copy
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        window.open_conversation(conversation.id)
        await wait_until(lambda: "keep these" in window.view.toPlainText())
        assert "notes.txt" in window.view.toPlainText() and "Pasted image.png" in window.view.toPlainText()
        prompt_row = next(i for i, row in enumerate(window.view.rows) if row.attachments)
        pictures = images_in(window.view.document_for(prompt_row))  # from the store's bytes
        assert pictures[0] == f"attachment-picture:{window.view.rows[prompt_row].attachments[0].sha256}"
    store = ConversationStore(open_database(AppPaths.under(data_dir).data_dir).connection)
    try:
        prompt = store.messages(conversation.id)[0]
        assert [(a.name, a.kind) for a in prompt.attachments] == [
            ("Pasted image.png", AttachmentKind.IMAGE),
            ("notes.txt", AttachmentKind.TEXT),
        ]
        assert prompt.attachments[1].data == b"remember the milk\n"
        exported = export_json(load_conversations(store, [conversation.id]))
    finally:
        store.close()
    fresh = ConversationStore(open_database(tmp_path / "fresh").connection)
    try:
        assert import_json(fresh, exported).imported == 1
        assert export_json(load_conversations(fresh, [conversation.id])) == exported
    finally:
        fresh.close()
