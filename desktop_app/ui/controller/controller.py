"""The one object a chat window talks to: it starts Copilot, sends prompts, switches conversations
and says, as notices, whatever went wrong. Widgets call its plain methods (an action runs as a task a
test may await) and connect to its signals. Its jobs live beside it: ``Connection`` (start-up, sign-in,
endpoint), ``ModelOffer`` (models, efforts), ``TurnRunner`` (one reply at a time, metrics, watchdog),
``OpenConversation`` (the store's side), ``SessionLink`` (the session, its listeners, ``Customizing``),
``PromptQueue`` (prompts that wait), ``TurnVersions`` (Edit, Regenerate, branches), ``SessionBridge``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop_app.core.config.credentials import SecretStore
from desktop_app.core.config.mcp_config import McpConfig
from desktop_app.core.config.settings import Settings
from desktop_app.core.conversation.live import LiveConversation
from desktop_app.core.conversation.metrics import MetricsSnapshot, StreamMetrics
from desktop_app.core.conversation.pending_prompts import PendingPrompt, PendingPrompts, SendState
from desktop_app.core.conversation.tool_calls import ToolStatus
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.permissions.rules import RuleBook
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.drafts import NewConversationDraft
from desktop_app.core.storage.models import Conversation, ConversationWithMessages, SavedToolCall
from desktop_app.core.vocabulary import notices
from desktop_app.core.vocabulary.access import ToolAccess
from desktop_app.core.vocabulary.attachments import Attachment
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.notices import Level, Notice, Phase
from desktop_app.core.vocabulary.permission_requests import Answer
from desktop_app.core.vocabulary.targets import ChatTarget, Source
from desktop_app.ui.controller.account import AccountControl
from desktop_app.ui.controller.attachments import AttachmentRules
from desktop_app.ui.controller.connection import Connection
from desktop_app.ui.controller.model_offer import ModelOffer
from desktop_app.ui.controller.open_conversation import OpenConversation, saved_replies
from desktop_app.ui.controller.prompt_queue import PromptQueue
from desktop_app.ui.controller.session_link import SessionLink
from desktop_app.ui.controller.turn_versions import TurnVersions
from desktop_app.ui.controller.turns import TurnRunner
from desktop_app.ui.controller.usage import UsageWatch
from desktop_app.ui.platform.tasks import TaskGroup
from desktop_app.ui.signals.session_bridge import SessionBridge

log = logging.getLogger(__name__)

Action = asyncio.Task[None]  # what an action returns: widgets ignore it, tests may await it


class ChatController(QObject):
    """Owns a window's ``ChatSession`` and its subscribers (bridge, metrics, tools, recorder).

    Signals:
        notice(Notice): what the banner should say.
        phase_changed(Phase): the phase the window is in.
        busy_changed(bool): a reply started (True) or ended (False).
        metrics_changed(MetricsSnapshot): fresh figures for the status bar.
        models_changed(list, str): models to offer in the picker, and the selected one.
        source_changed(str): a label for where answers come from.
        user_message(str): a prompt was sent (for the view).
        reply_started(): the assistant turn begins (for the view).
        reply_finished(): the reply is over, whatever the outcome.
        conversation_opened(ConversationWithMessages): the conversation to show; None for a new one.
        tools_reloaded(): ``tools`` now holds another conversation's calls.
        access_changed(ToolAccess): the conversation's access (Chat, or Agent in a folder).
        pending_changed(): prompts were added to ``pending``, sent from it or taken back.
        send_refused(str): why a prompt the user sent cannot be sent at all (it stays in the composer).
    """

    notice = Signal(Notice)
    phase_changed = Signal(Phase)
    busy_changed = Signal(bool)
    metrics_changed = Signal(MetricsSnapshot)
    models_changed = Signal(list, str)
    source_changed = Signal(str)
    user_message = Signal(str)
    reply_started = Signal()
    reply_finished = Signal()
    conversation_opened = Signal(ConversationWithMessages)  # None (a PyObject) for a new conversation
    tools_reloaded = Signal()
    access_changed = Signal(ToolAccess)
    pending_changed = Signal()
    send_refused = Signal(str)

    def __init__(
        self,
        service: CopilotService,
        settings: Settings,
        secrets: SecretStore,
        parent: QObject | None = None,
        store: ConversationStore | None = None,
        new_draft: NewConversationDraft | None = None,
    ) -> None:
        super().__init__(parent)
        self._service, self.store = service, store
        self.bridge = SessionBridge(self)
        self.metrics = StreamMetrics(settings.model)
        # The conversation in memory: the reply in progress and the tool calls, read once from the
        # session's events; the view, the recorder, the share page and the panel all follow it.
        self.live = LiveConversation()
        self.tools = self.live.tools  # the conversation's tool calls, for the panel
        self._tasks = TaskGroup("chat")
        self._open = OpenConversation(store, new_draft)
        self._connection = Connection(service, settings, secrets, self._tasks, self)
        self.account = AccountControl(service, self._tasks, self._recheck_copilot, self)
        self._turns = TurnRunner(
            self.bridge,
            self.metrics,
            lambda: self._link.session,
            lambda: self.settings.reply_timeout_s,
            self._tools_working,
            self._tasks,
            self,
        )
        self.usage = UsageWatch(service.usage, self, self._tasks, self)  # the gauge: usage.changed
        self._queue = PromptQueue(
            self._open, self.live, self._turns, self.can_send_now, self._start_send, self.pending_changed.emit
        )
        self._link = SessionLink(
            service,
            self._open,
            self.target,
            self.bridge,
            self.live,
            [self.metrics, self._turns.activity, self.live, self.usage],
            lambda message: self.notice.emit(notices.error(message)),
        )
        self.customizing = self._link.customizing  # instructions, skills, folders, the custom agent
        self.models = ModelOffer(self._connection, self._open, self._link, self._run, self.notice.emit, self)
        self.attachments = AttachmentRules(
            self.target, self.models.selected, self.access, lambda: self.data_dir
        )
        self.versions = TurnVersions(  # Edit, Regenerate, their versions, Branch from here
            self._open, self._link.for_sending, self._turns.settle, lambda: self._switch(None, True),
            self.send, self._apply_settings, self.notice.emit, self._run, self,
        )  # fmt: skip
        self._switching = False  # between conversations: a prompt now would go to the wrong one
        self._closed = False
        for ours, theirs in (
            (self._connection.notice, self.notice),
            (self._connection.phase_changed, self.phase_changed),
            (self.models.models_changed, self.models_changed),
            (self._connection.source_changed, self.source_changed),
            (self._turns.notice, self.notice),
            (self._turns.busy_changed, self.busy_changed),
            (self._turns.metrics_changed, self.metrics_changed),
            (self._turns.reply_started, self.reply_started),
            (self._turns.reply_finished, self.reply_finished),
        ):
            ours.connect(theirs)
        self._turns.reply_finished.connect(self._reply_over)

    # -- what widgets read ------------------------------------------------------------------------
    @property
    def pending(self) -> PendingPrompts:
        """Prompts sent before the window could take them, in the order they go."""
        return self._queue.pending

    @property
    def settings(self) -> Settings:
        return self._connection.settings

    @property
    def phase(self) -> Phase:
        return self._connection.phase

    @property
    def busy(self) -> bool:
        return self._turns.busy

    @property
    def conversation(self) -> Conversation | None:
        """The open conversation as saved; None for a new one."""
        return self._open.current

    @conversation.setter
    def conversation(self, conversation: Conversation | None) -> None:
        self._open.current = conversation  # forgotten, so that opening it again reloads it

    @property
    def session(self) -> ChatSession | None:
        return self._link.session

    @property
    def read_only(self) -> bool:
        """A reopened conversation whose Copilot session is gone."""
        return self._open.read_only

    @property
    def rules(self) -> RuleBook:
        """The kept permission answers, shared by every window."""
        return self._service.rules

    @property
    def config_dir(self) -> Path:
        return self._service.paths.config_dir

    @property
    def data_dir(self) -> Path:
        return self._service.paths.data_dir

    @property
    def cli_version(self) -> str | None:
        return self._service.cli_version

    @property
    def secrets_description(self) -> str:
        """Where an endpoint's API key is kept, in the user's words."""
        return self._connection.secrets.description

    @property
    def working(self) -> bool:
        """An action (start-up, a switch, a send, a settings change…) is still under way."""
        return len(self._tasks) > 0

    def store_api_key(self, key: str) -> None:
        """Keep the endpoint's API key (raises if it cannot be kept safely)."""
        self._connection.secrets.set(key)

    def set_mcp(self, mcp: McpConfig) -> None:
        """The MCP servers new Agent sessions start with."""
        self._service.mcp = mcp

    def target(self) -> ChatTarget:
        return self.models.target()

    def login_command(self) -> str:
        return self._connection.login_command()

    def draft(self) -> str:
        return self._open.draft()

    def access(self) -> ToolAccess:
        return self._open.access()

    def cancel_work(self) -> None:
        """Cancel every action under way (a window torn down without ``close``)."""
        self._tasks.cancel_all()

    def _run(self, coro: Coroutine[Any, Any, None]) -> Action:
        return self._tasks.spawn(coro)

    # -- start-up and settings --------------------------------------------------------------------
    def start(self) -> Action:
        """Start the CLI if needed and check that answers can come from the chosen source."""
        return self._run(self._when_ready(self._connection.start))

    def recheck(self) -> Action:
        """Check the source again (after signing in, here or in a terminal)."""
        return self._run(self._when_ready(self._connection.check))

    def _recheck_copilot(self) -> None:
        """The account changed (here or in another window): can this window send now?"""
        if self.settings.source is Source.COPILOT and not self._closed:
            self.recheck()

    def apply_settings(self, settings: Settings) -> Action:
        """New settings from the dialog or a model pick: re-check, and move the session over."""
        return self._run(self._apply_settings(settings))

    def fetch_endpoint_models(
        self,
        base_url: str,
        api_key: str | None,
        on_models: Callable[[list[str]], None],
        on_error: Callable[[str], None],
    ) -> Action:
        """The models an OpenAI-compatible endpoint serves (no key given: the stored one)."""
        return self._connection.fetch_endpoint_models(base_url, api_key, on_models, on_error)

    def import_cli_sessions(self, report: Callable[[str, Level], None]) -> Action:
        """The Copilot CLI's own sessions (the terminal's history) into the store; ``report`` says how."""
        return self._connection.import_cli_sessions(self.store, report)

    async def _when_ready(self, step: Callable[[], Coroutine[Any, Any, bool]]) -> None:
        """Run a step of the connection; once the source can answer, offer a Retry for a reply cut off,
        resume the open conversation's session and send what waits."""
        if not await step():
            return
        self._offer_retry()
        conversation = self.conversation
        if conversation is not None and conversation.session_id and self.session is None:
            await self._resume(conversation.session_id)
        self._queue.flush()

    async def _apply_settings(self, settings: Settings) -> None:
        demo_changed = (settings.source is Source.DEMO) != (self.settings.source is Source.DEMO)
        self._connection.settings = settings
        self.metrics.model = settings.model
        if demo_changed:
            await self._link.close_session()
            await self._when_ready(self._connection.restart)
            return
        if self.session is not None:
            try:
                await self.session.set_target(self.target())
            except Exception as exc:
                self.notice.emit(notices.error(describe_error(exc)))
        self._connection.say_source()
        await self._when_ready(self._connection.check)

    # -- tools and permissions --------------------------------------------------------------------
    def set_access(self, access: ToolAccess) -> Action:
        """Chat or Agent for this conversation; a live session is resumed with the new tools."""
        return self._run(self._set_access(access))

    async def _set_access(self, access: ToolAccess) -> None:
        if access == self.access():
            return
        if self.busy and (self.session is None or access != self.session.access):  # not the CLI's own
            await self._turns.stop_and_wait()
        self._open.set_access(access)
        self.access_changed.emit(self.access())
        if self.session is not None:
            try:
                await self.session.set_target(self.target(), self.access())
            except Exception as exc:
                self.notice.emit(notices.error(describe_error(exc)))
        where = f" in {access.working_directory}" if access.mode.agentic else ""
        self.notice.emit(notices.CLEAR)
        log.info("Conversation mode: %s%s", access.mode.value, where)

    def start_new_in(self, access: ToolAccess) -> None:
        """New conversations in this window start with this access (``--agent DIR``)."""
        self._open.start_new_in(access)

    def answer_permission(self, prompt_id: str, answer: Answer) -> None:
        if self.session is not None and not self.session.permissions.answer(prompt_id, answer):
            log.info("Permission request %s was no longer waiting", prompt_id)

    def _tools_working(self) -> bool:
        return any(call.status in (ToolStatus.PENDING, ToolStatus.RUNNING) for call in self.tools.calls)

    def _load_tools(self) -> list[SavedToolCall]:
        """The open conversation's saved tool calls, into the panel's timeline."""
        saved = self._open.tool_calls()
        self.live.load([s.call for s in saved])
        self.tools_reloaded.emit()
        return saved

    # -- sending ----------------------------------------------------------------------------------
    def send(self, text: str, attachments: Sequence[Attachment] = ()) -> bool:
        """Send ``text`` (and ``attachments``) now, or keep it in ``pending`` until the session can
        take it (Copilot starting, a conversation opening, a reply streaming): True. False, with
        ``send_refused`` saying why, when it cannot go at all (no sign-in or endpoint, a read-only
        conversation, an image for a model that reads none): the text stays in the composer."""
        if not text.strip() and not attachments:
            return False
        refusal = self.refusal() or self.attachments.refusal(attachments)
        if refusal is not None:
            self.send_refused.emit(refusal)
            return False
        self._open.composer_text = ""
        self._queue.accept(text, tuple(attachments))
        return True

    def send_state(self) -> SendState:
        return SendState(self.phase.value, self.busy, self._switching, self.read_only, self._closed)

    def refusal(self) -> str | None:
        return self.send_state().refusal()

    def can_send_now(self) -> bool:
        return self.send_state().can_send_now()

    def wait_reason(self) -> str:
        return self.send_state().wait_reason()

    def take_pending(self, key: int) -> PendingPrompt | None:
        """Take a waiting prompt back (to edit it or cancel it) before it is sent."""
        return self._queue.take(key)

    def send_now(self, key: int) -> None:
        """**Send now** on a waiting prompt: it steers the running reply (or goes first, if none runs)."""
        self._queue.send_now(key, self.target().model_name)

    def stop(self) -> None:
        """Stop the reply (what arrived is kept)."""
        self._turns.stop()

    @Slot()
    def _reply_over(self) -> None:
        # A reply the session never ended (the send failed, the CLI never answered) ends here.
        self.live.interrupt()
        # Later, so whoever awaits ``reply_finished`` sees the reply over before the next starts.
        QTimer.singleShot(0, self._queue.flush)

    def _start_send(self, text: str, attachments: tuple[Attachment, ...] = ()) -> None:
        self._turns.begin()  # at once: a second prompt must wait for this one, not race it
        self._run(self._send(text, attachments))

    async def _send(self, text: str, attachments: tuple[Attachment, ...] = ()) -> None:
        was_new = self.conversation is None
        recorder = self._link.recorder_for_sending()
        self.live.user_sent(text, self.target().model_name, attachments)  # saved, shown, shared
        if recorder is not None and was_new and self._open.new_draft is not None:
            self._open.new_draft.save("")
        self._queue.save_draft()  # the sent prompt leaves the draft; what still waits or is typed stays
        self.user_message.emit(text)
        self.live.begin_reply()
        await self._turns.run(text, self._link.for_sending, recorder, self.attachments.payload(attachments))

    # -- conversations ----------------------------------------------------------------------------
    def new_conversation(self) -> Action:
        """Leave the current conversation (saved as it is) and start an empty one."""
        return self._run(self._switch(None))

    def open_conversation(self, conversation_id: str) -> Action:
        """Show a saved conversation at once, then resume its Copilot session."""
        return self._run(self._switch(conversation_id))

    async def _switch(self, conversation_id: str | None, again: bool = False) -> None:
        """Prompts sent meanwhile wait, and go to the conversation switched to. ``again``: the open
        one, as the store now has it (another version of a turn), in its session."""
        current = self.conversation.id if self.conversation is not None else None
        if not again and not self._switching and (conversation_id is None or conversation_id != current):
            self._queue.leave_behind()
        self._switching = True
        if conversation_id is not None:
            self.pending_changed.emit()  # what the waiting prompts wait for changed
        try:
            conversation = None if conversation_id is None else self._open.find(conversation_id)
            if again:
                await self._show(self._open.reloaded())
            elif conversation_id is None or conversation is not None:
                await self._show(conversation)
        finally:
            self._switching = False
            self._queue.flush()

    async def _show(self, conversation: Conversation | None) -> None:
        """Leave the open conversation (saved as it is) for ``conversation``, or for a new one."""
        await self._turns.settle()
        await self._link.detach()
        opened = None
        if conversation is None:
            self._open.start_new()
            self._load_tools()
        else:
            messages = self._open.show(conversation)
            opened = ConversationWithMessages(conversation, messages, self._load_tools())
        self.access_changed.emit(self.access())
        self.models.show()  # its reasoning effort
        self.conversation_opened.emit(opened)
        self._turns.show_saved(saved_replies(opened))  # never the figures of the conversation left
        self.notice.emit(notices.CLEAR)
        if conversation is not None:
            self._offer_retry()
            if conversation.session_id and self.phase is Phase.READY:
                await self._resume(conversation.session_id)

    def _offer_retry(self) -> None:
        """If the open conversation's last reply was cut off by a crash, say so with a Retry."""
        if not self.busy and self._open.cut_off():
            self.notice.emit(notices.CUT_OFF_AT_CLOSE)

    async def _resume(self, session_id: str) -> None:
        try:
            await self._link.open(session_id)
            await self.models.apply()  # the model list may have come while it opened
            self.usage.resumed()
        except Exception as exc:
            log.info("Could not resume session %s: %s", session_id, describe_error(exc))
            self._open.read_only = True
            self.phase_changed.emit(self.phase)
            self.notice.emit(notices.SESSION_GONE)

    def save_draft(self, text: str) -> None:
        """Called (debounced) as the user types, so a crash loses no draft. Waiting prompts are
        saved with it until they are sent."""
        self._open.composer_text = text
        self._queue.save_draft()

    def continue_in_new_session(self) -> None:
        """Leave a read-only conversation writable again, in a fresh Copilot session."""
        self._open.remember_session(None)
        self._open.read_only = False
        self.phase_changed.emit(self.phase)
        self.notice.emit(notices.CLEAR)
        self._queue.flush()

    def _set_phase(self, phase: Phase) -> None:
        self._connection.set_phase(phase)

    async def close(self) -> None:
        """The window closed: stop its turn (what arrived is kept), then let go of the session."""
        self._closed = True  # waiting prompts stay in the draft, unsent
        await self._turns.close()
        self._tasks.cancel_all()
        await self._link.detach()
        self._turns.finish()
