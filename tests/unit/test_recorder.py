"""The recorder writes streaming replies in batches and marks how each turn ended."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.core.events import (
    CliExited,
    Idle,
    MessageCompleted,
    ReasoningDelta,
    SessionFailed,
    TextDelta,
    TitleChanged,
    Usage,
)
from desktop_app.core.store.conversation_store import ConversationStore
from desktop_app.core.store.database import open_database
from desktop_app.core.store.models import Role, Status
from desktop_app.core.store.recorder import TurnRecorder


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


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(open_database(tmp_path).connection)


def make(store: ConversationStore) -> tuple[TurnRecorder, FakeTimers, str]:
    timers = FakeTimers()
    conversation = store.create_conversation(model="m")
    return TurnRecorder(store, conversation.id, schedule=timers), timers, conversation.id


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
    recorder = TurnRecorder(store, conversation.id, schedule=timers, on_error=errors.append)
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
