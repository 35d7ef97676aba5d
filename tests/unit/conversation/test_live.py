"""LiveConversation: a session's events read once into the reply in progress and its tool calls."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation.changes import (
    Change,
    NoticeAdded,
    ReplyBegan,
    ReplyEnded,
    SegmentClosed,
    SteersReturned,
    ToolPlaced,
    UsageAdded,
    UserSent,
)
from desktop_app.core.conversation.live import STOPPED, LiveConversation
from desktop_app.core.conversation.reply import ReplyStatus
from desktop_app.core.conversation.tool_calls import TOOL_INTERRUPTED, ToolStatus
from desktop_app.core.share.feed import ConversationFeed
from desktop_app.core.vocabulary.events import (
    ChatEvent,
    CliExited,
    CompactionCompleted,
    CompactionStarted,
    Idle,
    MessageCompleted,
    SessionFailed,
    TextDelta,
    ToolCompleted,
    ToolStarted,
    Usage,
    UserMessage,
)
from desktop_app.core.vocabulary.notices import Level


def followed() -> tuple[LiveConversation, list[Change]]:
    live = LiveConversation(clock=lambda: 1.0)
    seen: list[Change] = []
    live.changes.subscribe(seen.append)
    return live, seen


def test_messages_are_segments_joined_by_a_blank_line_and_the_final_text_wins() -> None:
    live, seen = followed()
    reply = live.begin_reply()
    live(TextDelta("a", "Let me "))
    live(TextDelta("a", "chekc."))
    live(MessageCompleted("a", "Let me check.", None, True))
    live(TextDelta("b", "Done"))
    live(MessageCompleted("b", "Done: 42", None, False))
    assert reply.text == "Let me check.\n\nDone: 42"
    closed = [c for c in seen if isinstance(c, SegmentClosed)]
    assert [(c.segment.message_id, c.replaced, c.has_tools) for c in closed] == [
        ("a", True, True),
        ("b", True, False),
    ]
    live(Idle(aborted=False))
    assert reply.status is ReplyStatus.COMPLETE and live.reply is None
    assert isinstance(seen[0], ReplyBegan) and isinstance(seen[-1], ReplyEnded)


def test_a_completed_message_without_text_keeps_what_streamed() -> None:
    live, _seen = followed()
    reply = live.begin_reply()
    live(TextDelta("a", "streamed"))
    live(MessageCompleted("a", "", None, True))
    assert reply.text == "streamed"


def test_a_tool_call_is_placed_where_the_text_ended_and_a_reused_id_is_a_new_call() -> None:
    live, seen = followed()
    first = live.begin_reply()
    live(TextDelta("a", "Checking."))
    live(ToolStarted("call_1", "bash", {"command": "date"}))
    live(ToolCompleted("call_1", True, "Monday", ""))
    live(Idle(aborted=False))
    second = live.begin_reply()
    live(ToolStarted("call_1", "bash", {"command": "whoami"}))
    placed = [c for c in seen if isinstance(c, ToolPlaced)]
    assert [(c.reply is first, c.call.id, c.offset) for c in placed] == [
        (True, "call_1", 9),
        (False, "call_1#2", 0),
    ]
    assert placed[1].reply is second
    assert [c.id for c in live.tools.calls] == ["call_1", "call_1#2"]


def test_a_reply_that_ends_leaves_no_call_running() -> None:
    live, _seen = followed()
    live.begin_reply()
    live(ToolStarted("call_1", "bash", {"command": "sleep 100"}))
    live(Idle(aborted=True))
    [call] = live.tools.calls
    assert (call.status, call.error) == (ToolStatus.FAILED, TOOL_INTERRUPTED)


def test_a_stop_and_a_failure_are_notices_in_the_order_they_show() -> None:
    live, seen = followed()
    live.begin_reply()
    live(TextDelta("a", "partial"))
    live(Idle(aborted=True))
    live.begin_reply()
    live(SessionFailed("The model is unreachable", "query", None))
    live.begin_reply()
    live(CliExited("The Copilot CLI stopped unexpectedly"))
    kinds = [
        (type(c).__name__, getattr(c, "text", getattr(getattr(c, "reply", None), "status", None)))
        for c in seen
        if isinstance(c, NoticeAdded | ReplyEnded)
    ]
    assert kinds == [
        ("ReplyEnded", ReplyStatus.ABORTED),
        ("NoticeAdded", STOPPED),
        ("NoticeAdded", "The model is unreachable"),  # before its reply closes: where it happened
        ("ReplyEnded", ReplyStatus.ERROR),
        ("NoticeAdded", "The Copilot CLI stopped unexpectedly"),
        ("ReplyEnded", ReplyStatus.ERROR),
    ]
    errors = [c for c in seen if isinstance(c, NoticeAdded) and c.level is Level.ERROR]
    assert len(errors) == 2


def test_compaction_notices_are_background_and_only_the_finished_one_is_kept() -> None:
    live, seen = followed()
    live(CompactionStarted(900, 1000))
    live(CompactionCompleted(True, 900, 300))
    notices = [c for c in seen if isinstance(c, NoticeAdded)]
    assert [(n.background, n.saved) for n in notices] == [(True, False), (True, True)]


def test_usage_adds_up_over_the_model_calls_of_a_reply() -> None:
    live, seen = followed()
    reply = live.begin_reply()
    live(Usage("gpt-x", 10, 2, 40.0, 9.0))
    live(Usage("", 5, 3, 10.0, 99.0))
    assert (reply.model, reply.input_tokens, reply.output_tokens, reply.duration_ms, reply.ttft_ms) == (
        "gpt-x", 15, 5, 50.0, 9.0,
    )  # fmt: skip
    assert sum(isinstance(c, UsageAdded) for c in seen) == 2
    live(Idle(aborted=False))
    live(Usage("late", 1, 1, 1.0, 1.0))  # no reply open: nobody to count it for
    assert reply.model == "gpt-x"


class Page:
    """What the share page's transcript gets from the feed (its open reply's text)."""

    def __init__(self) -> None:
        self.text = ""
        self.replies: list[str] = []

    def add_user(self, text: str) -> None: ...
    def add_notice(self, text: str) -> None: ...

    def begin_reply(self) -> None:
        self.text = ""

    def reply_delta(self, text: str) -> None:
        self.text += text

    def replace_reply(self, text: str) -> None:
        self.text = text

    def end_reply(self, final_text: str | None = None) -> None:
        self.replies.append(final_text if final_text is not None else self.text)


ids = st.sampled_from(["m1", "m2", "m3"])
words = st.text(alphabet="ab \n`*", max_size=6)
events = st.lists(
    st.one_of(
        st.builds(TextDelta, ids, words),
        st.builds(MessageCompleted, ids, words, st.none(), st.booleans()),
        st.builds(ToolStarted, st.sampled_from(["call_1", "call_2"]), st.just("bash"), st.just({})),
        st.builds(ToolCompleted, st.sampled_from(["call_1", "call_2"]), st.booleans(), words, st.just("")),
        st.builds(Idle, st.booleans()),
    ),
    max_size=40,
)


@given(events)
def test_the_share_page_always_has_the_replys_text(stream: list[ChatEvent]) -> None:
    live, seen = followed()
    page = Page()
    ConversationFeed(page).follow(live)
    live.begin_reply()
    for event in stream:
        live(event)
        if live.reply is not None:
            assert page.text == live.reply.text
        for reply in {id(c.reply): c.reply for c in seen if isinstance(c, ToolPlaced)}.values():
            assert all(mark.offset <= len(reply.text) for mark in reply.marks)
    live.interrupt()
    ended = [c.reply.text for c in seen if isinstance(c, ReplyEnded)]
    assert page.replies == ended
    assert len({c.id for c in live.tools.calls}) == len(live.tools.calls)  # every call its own id


def test_a_final_text_moves_the_calls_after_it() -> None:
    live, _seen = followed()
    reply = live.begin_reply()
    live(TextDelta("a", "Checking the long way round."))
    live(ToolStarted("call_1", "bash", {"command": "ls"}))  # before the message says it is complete
    live(MessageCompleted("a", "Checking.", None, True))
    assert reply.text == "Checking." and reply.marks[0].offset == len("Checking.")


def test_a_steering_prompt_splits_the_reply_where_the_cli_read_it() -> None:
    live, seen = followed()
    live.begin_reply()
    live(TextDelta("m1", "before "))
    live.steer("  change course ", "model-x")
    live.steer("and this")
    live(TextDelta("m1", "still the first reply"))
    first = live.reply
    seen.clear()
    live(UserMessage("change course"))  # the CLI's copy may differ in surrounding blanks
    assert first is not None and first.text == "before still the first reply"
    assert first.status is ReplyStatus.COMPLETE
    assert [type(c) for c in seen] == [ReplyEnded, UserSent, ReplyBegan]
    assert seen[1] == UserSent("  change course ", "model-x", steered=True)
    assert live.steering == ["and this"]
    live(TextDelta("m2", "after"))
    assert live.reply is not None and live.reply.text == "after"
    seen.clear()
    live(SessionFailed("boom", "", None, ""))
    assert seen[-1] == SteersReturned(("and this",)) and live.steering == []


def test_a_steer_read_before_the_reply_showed_anything_goes_above_it() -> None:
    live, seen = followed()
    reply = live.begin_reply()
    live.steer("at once")
    seen.clear()
    live(UserMessage("at once"))
    assert seen == [UserSent("at once", steered=True)] and live.reply is reply  # still open
    live(TextDelta("m1", "answer"))
    assert reply.text == "answer"
