"""Stores to export and documents to import: every field, awkward floats, hostile text, tool calls."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.config.paths import AppPaths
from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.exchange.exporters import load_conversations
from desktop_app.core.storage.exchange.json_format import export_json
from desktop_app.core.storage.models import Role, Status
from desktop_app.core.vocabulary.attachments import Attachment, AttachmentKind

SCRIPT = '<script>alert("pwned")</script>'


class Clock:
    """Awkward floats on purpose: they must survive JSON and SQLite bit for bit."""

    def __init__(self) -> None:
        self.now = 1714550400.1 + 0.2

    def __call__(self) -> float:
        self.now += 61.123456789
        return self.now


def open_store(root: Path) -> ConversationStore:
    return ConversationStore(open_database(AppPaths.under(root).data_dir).connection, clock=Clock())


CODE_REPLY = "Here is code:\n\n```python\nprint('hi')\n```\n\nAnd a **bold** word."
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))  # a signature and every byte after it
SCREENSHOT = Attachment(f"shot{SCRIPT}\u202egnp.exe", AttachmentKind.IMAGE, "image/png", PNG)
NOTES = Attachment(
    "notes.md", AttachmentKind.TEXT, "text/markdown", "# Notes\nünï 👋\n".encode(), "/home/u/notes.md"
)
FOLDER = Attachment("src", AttachmentKind.FOLDER, "inode/directory", b"", "/src/ü")
TRACEBACK = f"Traceback\n```\nnot the end of the block\n````\n{SCRIPT}\n"


def populate(store: ConversationStore) -> dict[str, str]:
    """Several conversations covering every field; returns their ids by nickname."""
    plain = store.create_conversation(
        "Plain", model="gpt-x", provider="copilot", session_id="s-1", mode="agent", working_dir="/src/ü"
    )
    store.add_message(plain.id, Role.USER, "Hello 👋 café — naïve ünïcode", attachments=[SCREENSHOT, FOLDER])
    reply = store.add_message(
        plain.id,
        Role.ASSISTANT,
        "Here is code:\n\n```python\nprint('hi')\n```\n\nAnd a **bold** word.",
        reasoning="The user greets me.\nI should answer politely.",
        model="gpt-x",
        input_tokens=12,
        output_tokens=345,
        duration_ms=1234.5678,
        ttft_ms=0.1 + 0.2,
        premium_cost=0.33,
    )
    echo = ToolCall(
        "call_1",
        "bash",
        title="Running command",
        arguments='{\n  "command": "echo hi"\n}',
        command="echo hi",
        status=ToolStatus.DONE,
        output="hi\n",
        result="hi",
        exit_code=0,
        permission="Run a shell command\necho hi",
        decision="Allowed once",
        started_at=1714550500.25,
        finished_at=1714550501.45,
    )
    store.save_tool_call(plain.id, echo, reply.id, len("Here is code:"))
    failing = ToolCall(
        "call_2",
        "edit",
        arguments="not json",
        status=ToolStatus.FAILED,
        output=TRACEBACK,
        error="it broke\nbadly",
        exit_code=1,
        files=("a.txt", "dir/b `x`.py"),
        started_at=1714550502.1 + 0.2,
        finished_at=1714550503.0,
        parent_id="call_1",
    )
    store.save_tool_call(plain.id, failing, reply.id, CODE_REPLY.index("print"))  # inside the code
    pinned = store.create_conversation("Pinned 📌", created_at=1714550400.0)
    store.set_pinned(pinned.id, True)
    store.set_draft(pinned.id, "half a thought")
    store.add_message(pinned.id, Role.USER, f"What does {SCRIPT} do?", attachments=[NOTES, SCREENSHOT])
    store.add_message(pinned.id, Role.ASSISTANT, f"It runs {SCRIPT} — never do that.", model="")
    store.add_message(pinned.id, Role.NOTICE, "Stopped.\nSecond line", status=Status.ABORTED)
    denied = ToolCall(
        "call_1", f"fetch{SCRIPT}", status=ToolStatus.DENIED, decision="Denied", started_at=1714550400.5
    )
    store.save_tool_call(pinned.id, denied)  # in no message
    cut = store.create_conversation("")
    store.add_message(cut.id, Role.USER, "zebra crossing")
    cut_reply = store.add_message(
        cut.id, Role.ASSISTANT, "partial", status=Status.INTERRUPTED, error="CLI died"
    )
    waiting = ToolCall("ask", "write", status=ToolStatus.PENDING, started_at=1714550600.0)
    store.save_tool_call(cut.id, waiting, cut_reply.id, 99)  # past the end of the text
    trashed = store.create_conversation("Old stuff")
    store.add_message(trashed.id, Role.USER, "forgotten words")
    store.trash(trashed.id)
    empty = store.create_conversation("No messages yet")
    return {"plain": plain.id, "pinned": pinned.id, "cut": cut.id, "trashed": trashed.id, "empty": empty.id}


def dump(store: ConversationStore) -> str:
    return export_json(load_conversations(store))


def counts(store: ConversationStore) -> tuple[int, int, int]:
    messages = store.db.execute("SELECT count(*) FROM messages").fetchone()[0]
    tools = store.db.execute("SELECT count(*) FROM tool_calls").fetchone()[0]
    return store.count_conversations(), messages, tools
