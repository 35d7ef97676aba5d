"""The reply presenter: a live conversation's changes, drawn by the view (no session events read)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.core.conversation.live import LiveConversation
from desktop_app.core.vocabulary.events import (
    CompactionCompleted,
    Idle,
    MessageCompleted,
    SessionFailed,
    TextDelta,
    ToolStarted,
)
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.reply_presenter import ReplyPresenter


def presented(qtbot: QtBot) -> tuple[LiveConversation, ChatView, ReplyPresenter]:
    live, view = LiveConversation(), ChatView()
    qtbot.addWidget(view)
    return live, view, ReplyPresenter(live, view)


def test_the_view_shows_the_prompt_the_stream_and_then_the_final_text(qtbot: QtBot) -> None:
    live, view, _presenter = presented(qtbot)
    live.user_sent("Question?")
    live.begin_reply()
    live(TextDelta("m", "Draft SOON-GONE"))
    assert view.streaming and view.streamed_text == "Draft SOON-GONE"
    live(MessageCompleted("m", "The final answer.", None, False))
    live(Idle(aborted=False))
    text = view.toPlainText()
    assert "Question?" in text and "The final answer." in text and "SOON-GONE" not in text
    assert not view.streaming


def test_a_tool_call_gets_its_marker_between_the_texts_and_is_announced(qtbot: QtBot) -> None:
    live, view, presenter = presented(qtbot)
    shown: list[str] = []
    presenter.tool_shown.connect(shown.append)
    live.begin_reply()
    live(TextDelta("a", "Let me look."))
    live(MessageCompleted("a", "Let me look.", None, True))
    live(ToolStarted("call_1", "bash", {"command": "ls"}, "Running", "ls"))
    live(ToolStarted("sub_1", "view", {}, "", "", parent_tool_call_id="call_1"))  # a sub-agent's
    live(TextDelta("b", "Two files."))
    live(Idle(aborted=False))
    text = view.toPlainText()
    assert text.index("Let me look.") < text.index("bash: ls") < text.index("Two files.")
    assert shown == ["call_1"] and "⚙ view" not in text  # only the top-level call has a marker


def test_stopped_and_failed_replies_say_so_where_they_ended(qtbot: QtBot) -> None:
    live, view, _presenter = presented(qtbot)
    live.begin_reply()
    live(TextDelta("a", "partial"))
    live(Idle(aborted=True))
    live.begin_reply()
    live(SessionFailed("The model is unreachable", "query", None))
    text = view.toPlainText()
    assert text.index("partial") < text.index("Stopped.") < text.index("The model is unreachable")
    assert not view.streaming


def test_a_compaction_marker_waits_for_the_streaming_reply_to_end(qtbot: QtBot) -> None:
    live, view, presenter = presented(qtbot)
    live(CompactionCompleted(True, 900, 300))
    assert "Conversation compacted" in view.toPlainText()  # nothing streams: at once
    live.begin_reply()
    live(TextDelta("a", "A long answer"))
    live(CompactionCompleted(False, None, None))
    assert "failed" not in view.toPlainText()
    live(Idle(aborted=False))
    presenter.release_held()  # the window does this when the reply is over
    text = view.toPlainText()
    assert text.index("A long answer") < text.index("Compacting the conversation failed")


def test_a_tool_marker_shows_how_the_call_came_out_live_and_when_reopened(qtbot: QtBot) -> None:
    from desktop_app.core.conversation.tool_calls import ToolTimeline
    from desktop_app.core.storage.models import Message, Role, SavedToolCall
    from desktop_app.core.vocabulary.events import ToolCompleted

    live, view = LiveConversation(), ChatView()
    qtbot.addWidget(view)
    timeline = ToolTimeline()
    presenter = ReplyPresenter(live, view, tools=timeline)
    live.begin_reply()
    live(TextDelta("a", "Let me build."))
    live(MessageCompleted("a", "Let me build.", None, True))
    started = ToolStarted("c1", "bash", {"command": "make"}, "Running command", "make")
    live(started)
    timeline(started)
    assert "⚙ bash: make\n" in view.toPlainText() + "\n"  # no outcome while it runs
    timeline(ToolCompleted("c1", False, "make: *** [all] Error 2\n<exited with exit code 2>", "", None))
    assert "⚙ bash: make · exit code 2" in view.toPlainText()  # in place, while the reply goes on
    assert view.toPlainText().count("⚙ bash: make") == 1 and "Let me build." in view.toPlainText()
    live(TextDelta("b", "It failed."))
    live(Idle(aborted=False))
    text = view.toPlainText()
    assert text.index("Let me build.") < text.index("⚙ bash: make · exit code 2") < text.index("It failed.")
    call = timeline.get("c1")
    assert call is not None
    reopened = ChatView()  # another window, or after a restart: only what the store kept
    qtbot.addWidget(reopened)
    reopened.show_messages(
        [Message("m1", "c", 1, Role.ASSISTANT, "Let me build.\n\nIt failed.", 0.0, 0.0)],
        [SavedToolCall(call, "m1", len("Let me build."))],
    )
    assert "⚙ bash: make · exit code 2" in reopened.toPlainText()
    presenter.detach()
