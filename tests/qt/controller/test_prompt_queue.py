"""Prompts sent before the session can take them: in order, saved with the draft, sent one by one."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.storage.drafts import NewConversationDraft
from desktop_app.ui.controller.open_conversation import OpenConversation
from desktop_app.ui.controller.prompt_queue import PromptQueue


class Window:
    """Stands in for the controller: whether the session can take a prompt, and what went."""

    def __init__(self, tmp_path: Path) -> None:
        self.ready = False
        self.sent: list[str] = []
        self.changes = 0
        self.conversation = OpenConversation(None, NewConversationDraft(tmp_path))
        self.queue = PromptQueue(
            self.conversation,
            lambda: self.ready,
            lambda text, _attachments: self.sent.append(text),
            self.changed,
        )

    def changed(self) -> None:
        self.changes += 1


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
