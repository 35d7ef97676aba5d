"""Prompts sent before the session can take them: in order, saved with the draft, sent one by one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop_app.core.conversation.changes import Change, ReplyBegan, ReplyEnded, UserSent
from desktop_app.core.conversation.live import LiveConversation
from desktop_app.core.storage.drafts import NewConversationDraft
from desktop_app.core.vocabulary.events import Idle, TextDelta, UserMessage
from desktop_app.ui.controller.open_conversation import OpenConversation
from desktop_app.ui.controller.prompt_queue import PromptQueue


class Window:
    """Stands in for the controller: whether the session can take a prompt, and what went."""

    def __init__(self, tmp_path: Path) -> None:
        self.ready = False
        self.streaming = False  # a reply runs: Send now steers it
        self.sent: list[str] = []
        self.steered: list[str] = []
        self.changes = 0
        self.conversation = OpenConversation(None, NewConversationDraft(tmp_path))
        self.live = LiveConversation()
        self.seen: list[Change] = []
        self.live.changes.subscribe(self.seen.append)
        self.queue = PromptQueue(
            self.conversation,
            self.live,
            self,
            lambda: self.ready,
            lambda text, _attachments: self.sent.append(text),
            self.changed,
        )

    def changed(self) -> None:
        self.changes += 1

    def steer(self, text: str, dropped: Callable[[str], None]) -> bool:
        if self.streaming:
            self.steered.append(text)
            self.dropped = dropped
        return self.streaming


def test_a_prompt_goes_at_once_when_it_can(tmp_path: Path) -> None:
    window = Window(tmp_path)
    window.ready = True
    window.queue.accept("hello")
    assert window.sent == ["hello"] and not window.queue.pending and window.changes == 0


def test_prompts_wait_in_order_with_the_draft_and_go_one_at_a_time(tmp_path: Path) -> None:
    window = Window(tmp_path)
    window.queue.accept("first")
    window.queue.accept("second")
    assert window.queue.pending.texts() == ["first", "second"] and window.changes == 2
    assert window.conversation.draft() == "first\n\nsecond"  # a crash now loses neither
    window.queue.flush()
    assert window.sent == [] and window.changes == 3  # not yet: what they wait for may have changed
    window.ready = True
    window.queue.accept("third")  # behind the ones waiting, never before them
    window.queue.flush()
    assert window.sent == ["first"] and window.queue.pending.texts() == ["second", "third"]


def test_a_waiting_prompt_can_be_taken_back(tmp_path: Path) -> None:
    window = Window(tmp_path)
    keep, drop = (window.queue.pending.add(text) for text in ("keep", "drop"))
    assert window.queue.take(drop.key) == drop and window.queue.take(drop.key) is None
    assert window.queue.pending.texts() == ["keep"] and window.conversation.draft() == "keep"
    assert keep in list(window.queue.pending)


def test_prompts_left_behind_stay_as_the_draft_and_are_not_sent(tmp_path: Path) -> None:
    window = Window(tmp_path)
    window.conversation.composer_text = "typing"
    window.queue.accept("for this conversation")
    window.queue.leave_behind()
    assert not window.queue.pending and window.sent == []
    assert window.conversation.draft() == "for this conversation\n\ntyping"
    window.ready = True
    window.queue.flush()
    assert window.sent == []


def test_send_now_steers_the_running_reply_and_the_prompt_joins_when_the_cli_takes_it(
    tmp_path: Path,
) -> None:
    window = Window(tmp_path)
    window.streaming = True
    window.live.user_sent("SLOW 40")
    window.live.begin_reply()
    window.live(TextDelta("m1", "w0 "))
    first = window.queue.pending.add("steer me")
    window.queue.pending.add("later")
    window.queue.send_now(first.key, "model-x")
    assert window.steered == ["steer me"] and window.queue.pending.texts() == ["later"]
    assert window.conversation.draft() == "steer me\n\nlater"  # not saved as a message yet
    window.live(TextDelta("m1", "w1 "))  # the reply goes on until the CLI takes the prompt
    window.seen.clear()
    window.live(UserMessage("steer me"))
    assert [type(c) for c in window.seen] == [ReplyEnded, UserSent, ReplyBegan]
    assert window.seen[1] == UserSent("steer me", "model-x", steered=True)
    assert window.conversation.draft() == "later"
    window.live(Idle(aborted=False))
    assert window.queue.pending.texts() == ["later"] and window.sent == []


def test_a_steer_the_reply_never_took_waits_again_first(tmp_path: Path) -> None:
    window = Window(tmp_path)
    window.streaming = True
    window.live.begin_reply()
    prompt = window.queue.pending.add("dropped by a stop")
    window.queue.pending.add("next")
    window.queue.send_now(prompt.key)
    window.live(UserMessage("the turn's own prompt"))  # not a steer: nothing happens
    assert window.live.reply is not None and window.live.steering == ["dropped by a stop"]
    window.ready = True
    window.live(Idle(aborted=True))
    assert window.sent == ["dropped by a stop"] and window.queue.pending.texts() == ["next"]


def test_send_now_with_no_reply_running_sends_it_first(tmp_path: Path) -> None:
    window = Window(tmp_path)
    window.queue.pending.add("first")
    prompt = window.queue.pending.add("second")
    window.ready = True
    window.queue.send_now(prompt.key)
    assert window.steered == [] and window.sent == ["second"]
    assert window.queue.pending.texts() == ["first"]


def test_steers_left_behind_stay_in_that_conversations_draft(tmp_path: Path) -> None:
    window = Window(tmp_path)
    window.streaming = True
    window.live.begin_reply()
    window.queue.send_now(window.queue.pending.add("on its way").key)
    window.queue.leave_behind()
    assert window.conversation.draft() == "on its way" and window.live.steering == []
    window.ready = True
    window.live(Idle(aborted=True))  # the stop of the switch: nothing comes back to this window
    assert window.sent == [] and not window.queue.pending


def test_a_steer_that_could_not_go_waits_again_first_once(tmp_path: Path) -> None:
    window = Window(tmp_path)
    window.streaming = True
    window.live.begin_reply()
    window.queue.send_now(window.queue.pending.add("failed to send").key)
    window.queue.pending.add("next")
    window.dropped("failed to send")
    assert window.queue.pending.texts() == ["failed to send", "next"] and window.live.steering == []
    window.dropped("failed to send")  # the reply's end put it back already: not twice
    window.queue.send_now(window.queue.pending.add("dropped late").key)
    window.live(Idle(aborted=True))
    window.dropped("dropped late")
    assert window.queue.pending.texts() == ["dropped late", "failed to send", "next"]
