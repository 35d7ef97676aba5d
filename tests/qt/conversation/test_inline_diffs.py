"""Inline diffs on screen: under the call's marker as the call finishes, a Changes summary when the
turn ends, the same from a saved conversation, and the tool panel's full diff of the selected call."""

from __future__ import annotations

import json

from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.live import LiveConversation
from desktop_app.core.conversation.tool_calls import ToolCall, ToolStatus
from desktop_app.core.rendering.layout.parts import SPLIT_ABOVE
from desktop_app.core.storage.models import Message, Role, SavedToolCall
from desktop_app.core.vocabulary.events import Idle, MessageCompleted, TextDelta, ToolCompleted, ToolStarted
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.reply_presenter import ReplyPresenter
from desktop_app.ui.conversation.view.rows import rows_for_message
from desktop_app.ui.tools.tool_panel import ToolPanel

EDIT = {"path": "/work/app.py", "old_str": "x = 1", "new_str": "x = 2\ny = 3"}
LONG = {"path": "/work/long.txt", "file_text": "".join(f"row {n}\n" for n in range(20))}


def text_of(view: ChatView) -> str:
    return view.toPlainText().replace("\xa0", " ")


def run_turn(live: LiveConversation, *calls: tuple[str, str, dict[str, str], bool]) -> None:
    live.begin_reply()
    live(TextDelta("a", "Editing."))
    live(MessageCompleted("a", "Editing.", None, True))
    for call_id, name, arguments, ok in calls:
        live(ToolStarted(call_id, name, arguments, "Editing file"))
        live(ToolCompleted(call_id, ok, "done", "" if ok else "no", None, (arguments["path"],)))
    live(TextDelta("b", "All done."))
    live(Idle(aborted=False))


def test_a_finished_edit_shows_its_diff_and_the_turn_its_changes(qtbot: QtBot) -> None:
    live, view = LiveConversation(), ChatView()
    qtbot.addWidget(view)
    _presenter = ReplyPresenter(live, view, tools=live.tools)
    run_turn(live, ("c1", "edit", EDIT, True), ("c2", "create", LONG, True), ("c3", "edit", EDIT, False))
    text = text_of(view)
    assert "Edited /work/app.py +2 −1" in text and "− x = 1" in text and "+ y = 3" in text
    assert "Created /work/long.txt +20 −0" in text and "+ row 6" in text
    assert "+ row 7" not in text and "Show all (13 more lines)" in text  # collapsed beyond 8 lines
    assert text.count("Edited /work/app.py") == 1  # the failed edit changed nothing
    assert text.index("All done.") < text.index("Changes (2 files)")
    assert "/work/app.py +2 −1" in text[text.index("Changes") :]
    assert "/work/long.txt +20 −0 (new)" in text[text.index("Changes") :]


def test_a_turn_without_file_changes_has_no_summary(qtbot: QtBot) -> None:
    live, view = LiveConversation(), ChatView()
    qtbot.addWidget(view)
    _presenter = ReplyPresenter(live, view, tools=live.tools)
    live.begin_reply()
    live(ToolStarted("c1", "bash", {"command": "ls"}, "Running", "ls"))
    live(ToolCompleted("c1", True, "a b", "", 0))
    live(Idle(aborted=False))
    assert "Changes" not in text_of(view) and "Edited" not in text_of(view)


def test_a_saved_conversation_shows_the_same_diffs(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    call = ToolCall("c1", "edit", arguments=json.dumps(EDIT), status=ToolStatus.DONE)
    reply = Message("m2", "x", 1, Role.ASSISTANT, "Editing.\n\nAll done.", 0.0, 0.0)
    view.show_messages([reply], [SavedToolCall(call, "m2", 10)])
    text = text_of(view)
    assert "Edited /work/app.py +2 −1" in text and "+ x = 2" in text
    assert "Changes (1 file)" in text


def test_the_panel_shows_the_selected_calls_whole_diff(qtbot: QtBot) -> None:
    live = LiveConversation()
    panel = ToolPanel(live.tools)
    qtbot.addWidget(panel)
    run_turn(live, ("c2", "create", LONG, True))
    panel.select("c2")
    qtbot.waitUntil(lambda: "row 19" in panel.details.toPlainText())
    details = panel.details.toPlainText().replace("\xa0", " ")
    assert "Diff" in details and "Created /work/long.txt +20 −0" in details and "+ row 0" in details


def test_a_long_saved_reply_keeps_each_diff_in_its_part_and_the_summary_on_the_last() -> None:
    body = "\n\n".join(f"Paragraph {n} " + "words " * 40 for n in range(SPLIT_ABOVE // 200 + 50))
    call = ToolCall("c1", "edit", arguments=json.dumps(EDIT), status=ToolStatus.DONE)
    reply = Message("m2", "x", 1, Role.ASSISTANT, body, 0.0, 0.0)
    rows = rows_for_message(reply, [SavedToolCall(call, "m2", 10)], "Copilot")
    assert len(rows) > 1
    [marker] = rows[0].markers
    assert marker.diff is not None and marker.diff.path == "/work/app.py"
    assert [len(r.changes) for r in rows] == [0] * (len(rows) - 1) + [1]
