"""The conversation a window has open, as the store keeps it: its access, its reasoning effort, its
draft, its session id.

A new conversation exists only here until its first prompt is sent (its access in memory, its draft
in a small file, so an empty conversation never shows in the sidebar); sending creates it in the
store. No Qt: the controller says what changed.
"""

from __future__ import annotations

import logging
import uuid

from desktop_app.core.conversation.pending_prompts import draft_with_pending
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.drafts import NewConversationDraft
from desktop_app.core.storage.models import (
    Conversation,
    ConversationWithMessages,
    Message,
    Role,
    SavedToolCall,
    Status,
)
from desktop_app.core.vocabulary.access import ToolAccess
from desktop_app.core.vocabulary.targets import ChatTarget

log = logging.getLogger(__name__)


class OpenConversation:
    """What one window shows, and the store's side of switching, typing and sending."""

    def __init__(self, store: ConversationStore | None, new_draft: NewConversationDraft | None) -> None:
        self.store = store
        self.new_draft = new_draft
        self.current: Conversation | None = None  # None: a new conversation, not saved yet
        self.read_only = False  # reopened, but Copilot no longer has its session
        self.composer_text = ""  # the composer's text, as last saved as the draft
        self._default_access = ToolAccess()  # what new conversations in this window start with
        self._new_access = ToolAccess()  # the new conversation's, until it is saved
        self._new_effort = ""  # likewise; a new conversation starts at the model's default
        self._unsaved_key = uuid.uuid4().hex  # without a store, conversations have no id

    # -- access ------------------------------------------------------------------------------------
    def access(self) -> ToolAccess:
        if self.current is None:
            return self._new_access
        return ToolAccess.of(self.current.mode, self.current.working_dir)

    def set_access(self, access: ToolAccess) -> None:
        if self.store is not None and self.current is not None:
            self.store.update_conversation(
                self.current.id, mode=access.mode.value, working_dir=access.working_directory
            )
            self._reload()
        else:
            self._new_access = access

    # -- reasoning effort ----------------------------------------------------------------------------
    def effort(self) -> str:
        """The level chosen for it ("": the model's default)."""
        return self.current.reasoning_effort if self.current is not None else self._new_effort

    def set_effort(self, effort: str) -> None:
        if self.store is not None and self.current is not None:
            self.store.update_conversation(self.current.id, reasoning_effort=effort)
            self._reload()
        else:
            self._new_effort = effort

    def start_new_in(self, access: ToolAccess) -> None:
        """New conversations in this window start with this access (``--agent DIR``)."""
        self._default_access = access
        if self.current is None:
            self._new_access = access

    def key(self) -> str | None:
        """What 'for this conversation' rules are kept under (an unsaved chat gets its own key)."""
        return self.current.id if self.current is not None else self._unsaved_key

    # -- drafts ------------------------------------------------------------------------------------
    def draft(self) -> str:
        if self.current is not None:
            return self.current.draft
        return self.new_draft.load() if self.new_draft is not None else ""

    def save_draft(self, pending: list[str]) -> None:
        """The composer's text, after the prompts still waiting, as this conversation's draft."""
        text = draft_with_pending(pending, self.composer_text)
        try:
            if self.current is not None and self.store is not None:
                if text != self.current.draft:
                    self.store.set_draft(self.current.id, text)
                    self._reload()
            elif self.new_draft is not None:
                self.new_draft.save(text)
        except Exception as exc:  # a full disk must not break typing
            log.warning("Could not save the draft: %s", exc)

    # -- switching ---------------------------------------------------------------------------------
    def start_new(self) -> None:
        """Leave the open conversation (saved as it is) for an empty one."""
        self.current = None
        self.composer_text = self.draft()  # what the composer will show
        self._new_access = self._default_access
        self._new_effort = ""
        self._unsaved_key = uuid.uuid4().hex
        self.read_only = False

    def find(self, conversation_id: str) -> Conversation | None:
        """The saved conversation to open, or None (no store, no such conversation, open already)."""
        if self.store is None or (self.current is not None and self.current.id == conversation_id):
            return None
        return self.store.get_conversation(conversation_id)

    def show(self, conversation: Conversation) -> list[Message]:
        """Open ``conversation``; its messages, to show at once."""
        assert self.store is not None
        self.current = conversation
        self.composer_text = conversation.draft  # what the composer will show
        self.read_only = False
        return self.store.messages(conversation.id)

    def tool_calls(self) -> list[SavedToolCall]:
        """The open conversation's saved tool calls (none when they cannot be read)."""
        if self.store is None or self.current is None:
            return []
        try:
            return self.store.tool_calls(self.current.id)
        except Exception as exc:
            log.warning("Could not load the conversation's tool calls: %s", exc)
            return []

    def cut_off(self) -> bool:
        """Was its last reply cut off by a crash (and can be retried)?"""
        if self.store is None or self.current is None:
            return False
        messages = self.store.messages(self.current.id)
        return bool(messages) and messages[-1].status is Status.INTERRUPTED

    def last_prompt(self) -> str | None:
        if self.store is None or self.current is None:
            return None
        prompts = [m for m in self.store.messages(self.current.id) if m.role is Role.USER]
        return prompts[-1].content if prompts else None

    def reloaded(self) -> Conversation | None:
        """The open conversation as the store has it now."""
        if self.store is not None and self.current is not None:
            self._reload()
        return self.current

    # -- the store's record ------------------------------------------------------------------------
    def save_for(self, target: ChatTarget) -> Conversation | None:
        """The conversation, created in the store when its first prompt is sent (None: no store)."""
        if self.store is None:
            return None
        if self.current is None:
            access = self._new_access
            self.current = self.store.create_conversation(
                model=target.model_name,
                provider=target.provider_key,
                mode=access.mode.value,
                working_dir=access.working_directory,
                reasoning_effort=self._new_effort,
            )
        return self.current

    def remember_session(self, session_id: str | None) -> None:
        """The Copilot session it continues in (None: the next prompt starts a fresh one)."""
        if self.store is None or self.current is None or self.current.session_id == session_id:
            return
        self.store.update_conversation(self.current.id, session_id=session_id)
        self._reload()

    def _reload(self) -> None:
        assert self.store is not None and self.current is not None
        self.current = self.store.get_conversation(self.current.id)


def saved_replies(opened: ConversationWithMessages | None) -> list[Message]:
    """The replies of a conversation just opened (none for a new one), whose figures it shows."""
    return [] if opened is None else [m for m in opened.messages if m.role is Role.ASSISTANT]
