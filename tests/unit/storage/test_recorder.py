"""The recorder writes streaming replies in batches, saves tool calls, and marks how each turn ended."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.conversation.live import LiveConversation
from desktop_app.core.conversation.tool_calls import ToolStatus, ToolTimeline
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import Role, Status
from desktop_app.core.storage.recorder import TurnRecorder
from desktop_app.core.vocabulary.events import (
    ChatEvent,
    CliExited,
    Idle,
    MessageCompleted,
    PermissionAnswered,
    PermissionAsked,
    ReasoningDelta,
    SessionFailed,
    TextDelta,
    TitleChanged,
    ToolCompleted,
    ToolOutput,
    ToolStarted,
    Usage,
)
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, PermissionPrompt, RequestKind


class FakeTimers:
    """A scheduler whose timers fire only when the test says so."""

    def __init__(self) -> None:
        self.pending: list[tuple[float, Callable[[], None], bool]] = []

    def __call__(self, delay: float, callback: Callable[[], None]) -> FakeTimers.Handle:
        handle = FakeTimers.Handle(self, len(self.pending))
        self.pending.append((delay, callback, False))
        return handle

    class Handle:
        def __init__(self, timers: FakeTimers, index: int) -> None:
            self.timers, self.index = timers, index

        def cancel(self) -> None:
            delay, callback, _ = self.timers.pending[self.index]
            self.timers.pending[self.index] = (delay, callback, True)

    def fire(self) -> int:
        due = [(d, cb) for d, cb, cancelled in self.pending if not cancelled]
        self.pending.clear()
        for _delay, callback in due:
            callback()
        return len(due)


class Recording:
    """A recorder as the controller wires it: following a ``LiveConversation`` fed the session's events."""

    def __init__(
        self,
        store: ConversationStore,
        conversation_id: str,
        clock: Callable[[], float] | None = None,
        **kw: Any,
    ) -> None:
        self.live = LiveConversation(clock) if clock is not None else LiveConversation()
        self.recorder = TurnRecorder(store, conversation_id, **kw)
        self.live.changes.subscribe(self.recorder)

    def __call__(self, event: ChatEvent) -> None:
        self.live(event)

    def user_message(self, text: str, model: str = "") -> None:
        self.live.user_sent(text, model)

    def close(self) -> None:
        self.live.interrupt()
        self.recorder.close()

    def flush(self) -> None:
        self.recorder.flush()

    @property
    def reply_id(self) -> str | None:
        return self.recorder.reply_id

    @property
    def tools(self) -> ToolTimeline:
        return self.live.tools


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(open_database(tmp_path).connection)


def make(store: ConversationStore) -> tuple[Recording, FakeTimers, str]:
    timers = FakeTimers()
    conversation = store.create_conversation(model="m")
    return Recording(store, conversation.id, schedule=timers), timers, conversation.id


def test_prompt_is_saved_at_once_and_reply_in_batches(store: ConversationStore) -> None:
    recorder, timers, cid = make(store)
    recorder.user_message("What is 2+2?")
    assert [m.role for m in store.messages(cid)] == [Role.USER]
    recorder(TextDelta("m1", "The answer"))
    reply = store.messages(cid)[1]
    assert (reply.role, reply.status, reply.content) == (Role.ASSISTANT, Status.STREAMING, "The answer")
    for piece in (" is", " four", "."):
        recorder(TextDelta("m1", piece))
    assert store.messages(cid)[1].content == "The answer"  # not one write per token
    assert [d for d, _cb, _c in timers.pending] == [0.2]  # one flush scheduled, 200 ms out
    assert timers.fire() == 1
    assert store.messages(cid)[1].content == "The answer is four."
    assert store.messages(cid)[1].status is Status.STREAMING


def test_turn_end_writes_final_text_usage_and_status(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("hi")
    recorder(ReasoningDelta("r", "thinking"))
    recorder(TextDelta("m1", "Hel"))
    recorder(MessageCompleted("m1", "Hello there", None, False))
    recorder(Usage("gpt-x", 12, 3, 40.0, 9.5))
    recorder(Idle(aborted=False))
    reply = store.messages(cid)[1]
    assert reply.content == "Hello there"
    assert reply.reasoning == "thinking"
    assert reply.status is Status.COMPLETE
    assert (reply.model, reply.input_tokens, reply.output_tokens) == ("gpt-x", 12, 3)
    assert (reply.duration_ms, reply.ttft_ms) == (40.0, 9.5)
    assert reply.premium_cost is None  # the call said nothing of its cost


def test_a_replys_premium_cost_adds_up_over_its_calls(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("use a tool")
    recorder(TextDelta("m1", "Looking"))
    recorder(Usage("sonnet", 12, 3, 40.0, 9.5, cost=1.0))
    recorder(TextDelta("m2", "Done"))
    recorder(Usage("sonnet", 20, 4, 30.0, 5.0, cost=1.0))
    recorder(Idle(aborted=False))
    assert store.messages(cid)[1].premium_cost == 2.0


def test_several_assistant_messages_in_one_turn_are_kept_in_order(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("use a tool")
    recorder(TextDelta("a", "Let me check."))
    recorder(MessageCompleted("a", "Let me check.", None, True))
    recorder(TextDelta("b", "Done: 42"))
    recorder(Idle(aborted=False))
    assert store.messages(cid)[1].content == "Let me check.\n\nDone: 42"


def test_stopped_failed_and_crashed_turns_are_marked(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("one")
    recorder(TextDelta("a", "partial"))
    recorder(Idle(aborted=True))
    recorder.user_message("two")
    recorder(TextDelta("b", "half"))
    recorder(SessionFailed("model unreachable", "query", None))
    recorder.user_message("three")
    recorder(TextDelta("c", "cut"))
    recorder(CliExited("The Copilot CLI stopped unexpectedly"))
    rows = [(m.role, m.status, m.content) for m in store.messages(cid)]
    assert rows == [
        (Role.USER, Status.COMPLETE, "one"),
        (Role.ASSISTANT, Status.ABORTED, "partial"),
        (Role.NOTICE, Status.COMPLETE, "Stopped."),
        (Role.USER, Status.COMPLETE, "two"),
        (Role.ASSISTANT, Status.ERROR, "half"),
        (Role.NOTICE, Status.ERROR, "model unreachable"),
        (Role.USER, Status.COMPLETE, "three"),
        (Role.ASSISTANT, Status.ERROR, "cut"),
        (Role.NOTICE, Status.ERROR, "The Copilot CLI stopped unexpectedly"),
    ]
    assert store.messages(cid)[4].error == "model unreachable"


def test_a_failure_before_any_text_saves_only_the_notice(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("hello")
    recorder(SessionFailed("Could not connect", "query", None))
    assert [(m.role, m.content) for m in store.messages(cid)] == [
        (Role.USER, "hello"),
        (Role.NOTICE, "Could not connect"),
    ]


def test_closing_mid_reply_keeps_the_text_as_interrupted(store: ConversationStore) -> None:
    recorder, timers, cid = make(store)
    recorder.user_message("long one")
    recorder(TextDelta("a", "first part"))
    recorder(TextDelta("a", " and more"))
    recorder.close()
    reply = store.messages(cid)[1]
    assert (reply.content, reply.status) == ("first part and more", Status.INTERRUPTED)
    assert timers.fire() == 0  # the pending flush was cancelled, nothing left to write


def test_a_crash_leaves_streaming_rows_that_the_next_start_marks_interrupted(
    store: ConversationStore,
) -> None:
    recorder, timers, cid = make(store)
    recorder.user_message("question")
    recorder(TextDelta("a", "some"))
    recorder(TextDelta("a", " text"))
    timers.fire()
    # The process dies here: no finish_turn. The next start:
    assert store.mark_interrupted() == [cid]
    reply = store.messages(cid)[1]
    assert (reply.content, reply.status) == ("some text", Status.INTERRUPTED)


@pytest.mark.expected_warnings
def test_a_failing_disk_is_reported_once_and_the_chat_goes_on(store: ConversationStore) -> None:
    errors: list[str] = []
    timers = FakeTimers()
    conversation = store.create_conversation()
    recorder = Recording(store, conversation.id, schedule=timers, on_error=errors.append)
    recorder.user_message("hi")
    recorder(TextDelta("a", "first"))
    store.db.close()  # from here on every write fails, as on a full or vanished disk
    recorder(TextDelta("a", " second"))
    timers.fire()
    recorder(Idle(aborted=False))
    recorder(TextDelta("b", "next turn"))
    assert len(errors) == 1 and errors[0].startswith("This conversation could not be saved:")


def test_copilot_title_replaces_the_automatic_one_only(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("first prompt here")
    recorder(TitleChanged("Named by Copilot"))
    assert store.get_conversation(cid).title == "Named by Copilot"  # type: ignore[union-attr]
    store.rename(cid, "My own name")
    recorder(TitleChanged("Another Copilot title"))
    assert store.get_conversation(cid).title == "My own name"  # type: ignore[union-attr]


# -- tool calls --------------------------------------------------------------------------------------
def prompt(
    call_id: str, title: str = "Run a shell command", detail: str = "rm -rf build"
) -> PermissionPrompt:
    return PermissionPrompt("p-" + call_id, RequestKind.SHELL, call_id, title, detail, tool_name="bash")


def make_with_clock(store: ConversationStore) -> tuple[Recording, FakeTimers, str]:
    timers = FakeTimers()
    conversation = store.create_conversation()
    ticks = iter(float(t) for t in range(100, 1000))
    return (
        Recording(store, conversation.id, clock=lambda: next(ticks), schedule=timers),
        timers,
        conversation.id,
    )


def saved(store: ConversationStore, cid: str) -> list[tuple[str, ToolStatus, str | None, int]]:
    return [(s.call.id, s.call.status, s.message_id, s.offset) for s in store.tool_calls(cid)]


def test_a_tool_call_before_any_text_creates_the_reply_row(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("list files")
    recorder(ToolStarted("call_1", "bash", {"command": "ls"}, "Running command", "ls"))
    user, reply = store.messages(cid)
    assert (reply.role, reply.status, reply.content) == (Role.ASSISTANT, Status.STREAMING, "")
    assert saved(store, cid) == [("call_1", ToolStatus.RUNNING, reply.id, 0)]
    call = store.tool_calls(cid)[0].call
    assert (call.name, call.command, call.arguments) == ("bash", "ls", '{\n  "command": "ls"\n}')
    recorder(TextDelta("m", "Two files."))
    recorder(Idle(aborted=False))
    assert [(m.role, m.content) for m in store.messages(cid)] == [
        (Role.USER, "list files"),
        (Role.ASSISTANT, "Two files."),
    ]
    assert user.id != reply.id and store.messages(cid)[1].id == reply.id


def test_each_call_is_placed_where_the_reply_text_was(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("check")
    recorder(TextDelta("a", "Let me check."))
    recorder(MessageCompleted("a", "Let me check.", None, True))
    recorder(ToolStarted("call_1", "view", {"path": "a.txt"}))
    recorder(ToolStarted("call_2", "view", {"path": "b.txt"}))
    recorder(TextDelta("b", "Now"))
    recorder(ToolStarted("call_3", "bash", {"command": "make"}))
    reply_id = recorder.reply_id
    recorder(Idle(aborted=False))
    assert store.messages(cid)[1].content == "Let me check.\n\nNow"
    assert [(s.call.id, s.message_id, s.offset) for s in store.tool_calls(cid)] == [
        ("call_1", reply_id, 13),
        ("call_2", reply_id, 13),
        ("call_3", reply_id, len("Let me check.\n\nNow")),
    ]


def test_status_and_answers_are_saved_at_once_live_output_in_batches(store: ConversationStore) -> None:
    recorder, timers, cid = make_with_clock(store)
    recorder.user_message("clean")
    recorder(ToolStarted("call_1", "bash", {"command": "rm -rf build"}))
    recorder(PermissionAsked(prompt("call_1")))
    call = store.tool_calls(cid)[0].call
    assert (call.status, call.decision) == (ToolStatus.PENDING, "Waiting for your answer")
    assert call.permission == "Run a shell command\nrm -rf build"
    recorder(PermissionAnswered(prompt("call_1"), Answer(Choice.ALLOW_ONCE)))
    call = store.tool_calls(cid)[0].call
    assert (call.status, call.decision) == (ToolStatus.RUNNING, "Allowed once")

    recorder(ToolOutput("call_1", "removed a\n", False, "stdout"))
    recorder(ToolOutput("call_1", "removed b\n", False, "stdout"))
    assert store.tool_calls(cid)[0].call.output == ""  # not one write per line of output
    assert len([p for p in timers.pending if not p[2]]) == 1
    assert timers.fire() == 1
    assert store.tool_calls(cid)[0].call.output == "removed a\nremoved b\n"

    recorder(ToolOutput("call_1", "removed c\n", False, "stdout"))
    recorder(ToolCompleted("call_1", True, "3 removed", "", exit_code=0, files=("build",)))
    call = store.tool_calls(cid)[0].call  # the completion wrote the newest output with it
    assert (call.status, call.output, call.result, call.exit_code, call.files) == (
        ToolStatus.DONE,
        "removed a\nremoved b\nremoved c\n",
        "3 removed",
        0,
        ("build",),
    )
    assert call.finished_at is not None and call.finished_at > call.started_at
    assert [replace(c, shell_output_seen=False) for c in recorder.tools.calls] == [call]


def test_pending_output_is_written_when_the_turn_ends(store: ConversationStore) -> None:
    recorder, timers, cid = make(store)
    recorder.user_message("build")
    recorder(ToolStarted("call_1", "bash", {"command": "make"}))
    recorder(ToolCompleted("call_1", True, "", ""))
    recorder(ToolStarted("call_2", "bash", {"command": "make test"}))
    recorder(ToolOutput("call_2", "ok 1", True))
    recorder.close()
    assert timers.fire() == 0
    call = store.tool_calls(cid)[1].call
    assert (call.output, call.status, call.error) == ("ok 1", ToolStatus.FAILED, "Interrupted")
    assert store.messages(cid)[1].status is Status.INTERRUPTED


@pytest.mark.parametrize(
    "end",
    [
        Idle(aborted=True),
        Idle(aborted=False),
        SessionFailed("model unreachable", "query", None),
        CliExited("The Copilot CLI stopped unexpectedly"),
    ],
    ids=["stopped", "finished", "failed", "cli-died"],
)
def test_calls_left_unfinished_by_the_turn_are_saved_as_interrupted(
    store: ConversationStore, end: Idle | SessionFailed | CliExited
) -> None:
    recorder, _timers, cid = make_with_clock(store)
    recorder.user_message("go")
    recorder(ToolStarted("done", "view", {}))
    recorder(ToolCompleted("done", True, "content", ""))
    recorder(ToolStarted("denied", "bash", {"command": "rm -rf /"}))
    recorder(PermissionAnswered(prompt("denied"), Answer(Choice.DENY)))
    recorder(ToolStarted("running", "bash", {"command": "sleep 100"}))
    recorder(ToolOutput("running", "zzz", False, "stdout"))
    recorder(PermissionAsked(prompt("waiting")))
    recorder(end)
    calls = {s.call.id: s.call for s in store.tool_calls(cid)}
    assert {k: (c.status, c.error) for k, c in calls.items()} == {
        "done": (ToolStatus.DONE, ""),
        "denied": (ToolStatus.DENIED, ""),
        "running": (ToolStatus.FAILED, "Interrupted"),
        "waiting": (ToolStatus.FAILED, "Interrupted"),
    }
    assert calls["running"].output == "zzz" and calls["running"].finished_at is not None
    shown = recorder.tools.get("running")
    assert shown is not None and replace(shown, shell_output_seen=False) == calls["running"]


def test_a_late_completion_still_reaches_the_saved_call(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("go")
    recorder(ToolStarted("call_1", "bash", {"command": "make"}))
    reply_id = recorder.reply_id
    recorder(Idle(aborted=False))
    recorder(ToolCompleted("call_1", True, "built", "", exit_code=0))
    (late,) = store.tool_calls(cid)
    assert (late.call.status, late.call.result, late.message_id) == (ToolStatus.DONE, "built", reply_id)


def test_a_reused_call_id_is_a_new_call_with_its_own_row(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("one")
    recorder(ToolStarted("call_1", "bash", {"command": "date"}))
    recorder(ToolCompleted("call_1", True, "Monday", ""))
    recorder(TextDelta("a", "It is Monday."))
    first_reply = recorder.reply_id
    recorder(Idle(aborted=False))
    recorder.user_message("two")
    recorder(ToolStarted("call_1", "bash", {"command": "whoami"}))  # the model numbers afresh
    recorder(ToolOutput("call_1", "me", True))
    recorder.flush()
    recorder(ToolCompleted("call_1", True, "me", ""))
    second_reply = recorder.reply_id
    recorder(Idle(aborted=False))
    rows = [(s.call.id, s.call.command, s.call.result, s.message_id) for s in store.tool_calls(cid)]
    assert rows == [
        ("call_1", "date", "Monday", first_reply),
        ("call_1#2", "whoami", "me", second_reply),
    ]
    # The panel's timeline is the one saved: both calls, under the ids they were saved with.
    assert [(c.id, c.command) for c in recorder.tools.calls] == [("call_1", "date"), ("call_1#2", "whoami")]


def test_a_new_conversation_saves_reused_ids_apart_from_an_earlier_recorder(store: ConversationStore) -> None:
    first, _timers, cid = make(store)
    first.user_message("one")
    first(ToolStarted("call_1", "view", {}))
    first(ToolCompleted("call_1", True, "a", ""))
    first.close()
    again = Recording(store, cid, schedule=FakeTimers())  # the window was reopened
    again.user_message("two")
    again(ToolStarted("call_1", "view", {}))
    again(ToolCompleted("call_1", True, "b", ""))
    again(Idle(aborted=False))
    assert [(s.call.id, s.call.result) for s in store.tool_calls(cid)] == [("call_1", "a"), ("call_1#2", "b")]


def test_a_crash_mid_tool_leaves_a_call_the_next_start_marks_failed(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("go")
    recorder(ToolStarted("call_1", "bash", {"command": "make"}))
    # The process dies here. The next start:
    assert store.mark_interrupted() == [cid]
    assert saved(store, cid)[0][1] is ToolStatus.FAILED
    assert store.messages(cid)[1].status is Status.INTERRUPTED


@pytest.mark.expected_warnings
def test_a_failing_disk_during_tool_calls_is_reported_once(store: ConversationStore) -> None:
    errors: list[str] = []
    conversation = store.create_conversation()
    recorder = Recording(store, conversation.id, schedule=FakeTimers(), on_error=errors.append)
    recorder.user_message("hi")
    store.db.close()
    recorder(ToolStarted("call_1", "bash", {"command": "ls"}))
    recorder(ToolOutput("call_1", "x", False))
    recorder.flush()
    recorder(ToolCompleted("call_1", True, "x", ""))
    recorder(Idle(aborted=True))
    assert len(errors) == 1 and errors[0].startswith("This conversation could not be saved:")
    assert recorder.tools.get("call_1") is not None  # the timeline goes on regardless


def test_a_final_text_that_moves_a_call_moves_its_saved_place(store: ConversationStore) -> None:
    recorder, _timers, cid = make(store)
    recorder.user_message("go")
    recorder(TextDelta("a", "Checking the long way round."))
    recorder(ToolStarted("call_1", "bash", {"command": "ls"}))
    recorder(MessageCompleted("a", "Checking.", None, True))
    recorder(Idle(aborted=False))
    [call] = store.tool_calls(cid)
    assert call.offset == len("Checking.") == len(store.messages(cid)[1].content)
