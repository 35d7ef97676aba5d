"""Drives one chat window: starts the session, sends prompts, and turns failures into messages."""

from __future__ import annotations

import asyncio
import logging
import shlex
import time
import uuid
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop_app.core.config.credentials import SecretStore, resolve_api_key
from desktop_app.core.config.settings import Settings, Source
from desktop_app.core.conversation.metrics import StreamMetrics
from desktop_app.core.conversation.pending_prompts import (
    PendingPrompt,
    PendingPrompts,
    SendState,
    draft_with_pending,
)
from desktop_app.core.conversation.tool_calls import ToolStatus, ToolTimeline
from desktop_app.core.copilot.byok.endpoint_models import fetch_models
from desktop_app.core.copilot.cli_sessions import CliImportResult, import_cli_sessions
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.drafts import NewConversationDraft
from desktop_app.core.storage.models import (
    Conversation,
    ConversationWithMessages,
    Role,
    SavedToolCall,
    Status,
)
from desktop_app.core.storage.recorder import TurnRecorder
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.copilot_errors import CopilotUnavailableError, EndpointError, describe_error
from desktop_app.core.vocabulary.notices import Level, Notice, NoticeKind, Phase
from desktop_app.core.vocabulary.permission_requests import Answer
from desktop_app.core.vocabulary.targets import ChatTarget
from desktop_app.ui.controller.session_bridge import SessionBridge
from desktop_app.ui.platform.tasks import TaskGroup

log = logging.getLogger(__name__)

CLI_RETRIES = 5  # the Copilot CLI retries a failed model call this many times before giving up


class ChatController(QObject):
    """Owns a window's ``ChatSession`` and its subscribers (bridge, metrics).

    Signals:
        notice(Notice): what the banner should say.
        phase_changed(Phase): the phase the window is in.
        busy_changed(bool): a reply started (True) or ended (False).
        metrics_changed(object): a fresh ``MetricsSnapshot``.
        models_changed(list, str): models to offer in the picker, and the selected one.
        source_changed(str): a label for where answers come from.
        user_message(str): a prompt was sent (for the view).
        reply_started(): the assistant turn begins (for the view).
        reply_finished(): the reply is over, whatever the outcome.
        conversation_opened(object): a ``ConversationWithMessages`` to show, or None for a new one.
        tools_reloaded(): ``tools`` now holds another conversation's calls.
        access_changed(object): the conversation's ``ToolAccess`` (Chat, or Agent in a folder).
        pending_changed(): prompts were added to ``pending``, sent from it or taken back.
        send_refused(str): why a prompt the user sent cannot be sent at all (it stays in the composer).
    """

    notice = Signal(Notice)
    phase_changed = Signal(Phase)
    busy_changed = Signal(bool)
    metrics_changed = Signal(object)
    models_changed = Signal(list, str)
    source_changed = Signal(str)
    user_message = Signal(str)
    reply_started = Signal()
    reply_finished = Signal()
    conversation_opened = Signal(object)
    tools_reloaded = Signal()
    access_changed = Signal(object)
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
        self.service = service
        self.settings = settings
        self.secrets = secrets
        self.store = store
        self.new_draft = new_draft
        self.conversation: Conversation | None = None
        self.recorder: TurnRecorder | None = None
        self.read_only = False  # a reopened conversation whose Copilot session is gone
        self._switching = False  # between conversations: a prompt now would go to the wrong one
        self._unsubscribe: list[Callable[[], None]] = []
        self.bridge = SessionBridge(self)
        self.metrics = StreamMetrics(settings.model)
        self.session: ChatSession | None = None
        self.tools = ToolTimeline()  # the conversation's tool calls, for the panel
        self._default_access = ToolAccess()
        self._new_access = ToolAccess()  # for a conversation not saved yet
        self._unsaved_key = uuid.uuid4().hex  # without a store, conversations have no id
        self.phase = Phase.STARTING
        self.busy = False
        self.tasks = TaskGroup("chat")
        self.pending = PendingPrompts()  # sent before the window could take them; shown, in order
        self._composer_text = ""  # the composer's text, as last saved as the draft
        self._closed = False
        self._retrying = False
        # A reply with no sign of life for ``reply_timeout_s`` is stopped (a hung endpoint).
        self._last_activity = 0.0
        self._silence_timer = QTimer(self)
        self._silence_timer.setInterval(1000)
        self._silence_timer.timeout.connect(self._check_silence)
        self._timed_out = False
        self._metrics_timer = QTimer(self)
        self._metrics_timer.setInterval(200)
        self._metrics_timer.timeout.connect(self._publish_metrics)
        self.bridge.idle.connect(self._on_idle)
        self.bridge.session_failed.connect(self._on_session_failed)
        self.bridge.call_failed.connect(self._on_call_failed)
        self.bridge.cli_exited.connect(self._on_cli_exited)
        self.bridge.text_delta.connect(self._on_first_text)
        self.bridge.usage.connect(self._publish_metrics)

    # -- targets --------------------------------------------------------------------------
    def target(self) -> ChatTarget:
        s = self.settings
        if s.source is Source.ENDPOINT:
            key = resolve_api_key(self.secrets, s.api_key_env)
            return ChatTarget(
                Source.ENDPOINT, s.endpoint_model, s.endpoint_url, key, s.endpoint_context_tokens
            )
        if s.source is Source.DEMO:
            return ChatTarget(Source.DEMO)
        return ChatTarget(Source.COPILOT, s.copilot_model)

    def source_label(self) -> str:
        s = self.settings
        if s.source is Source.DEMO:
            return "Scripted demo model (not Copilot)"
        if s.source is Source.ENDPOINT:
            return f"Endpoint {s.endpoint_url or '(not set)'}"
        return "GitHub Copilot"

    def login_command(self) -> str:
        """The exact shell command that signs this app's CLI in (same homes as the app uses)."""
        cli = self.service.cli.path if self.service.cli else "copilot"
        paths = self.service.paths
        prefix = ""
        if paths.cli_home is not None and paths.copilot_home is not None:
            prefix = (
                f"env HOME={shlex.quote(str(paths.cli_home))} "
                f"COPILOT_HOME={shlex.quote(str(paths.copilot_home))} "
            )
        return f"{prefix}{shlex.quote(str(cli))} login"

    # -- tools and permissions --------------------------------------------------------------
    def access(self) -> ToolAccess:
        conversation = self.conversation
        if conversation is None:
            return self._new_access
        return ToolAccess.of(conversation.mode, conversation.working_dir)

    async def set_access(self, access: ToolAccess) -> None:
        """Chat or Agent for this conversation; a live session is resumed with the new tools."""
        if access == self.access():
            return
        if self.busy:
            await self._abort_and_wait()
        if self.store is not None and self.conversation is not None:
            self.store.update_conversation(
                self.conversation.id, mode=access.mode.value, working_dir=access.working_directory
            )
            self.conversation = self.store.get_conversation(self.conversation.id)
        else:
            self._new_access = access
        self.access_changed.emit(self.access())
        if self.session is not None:
            try:
                await self.session.set_target(self.target(), self.access())
            except Exception as exc:
                self.notice.emit(Notice(NoticeKind.ERROR, describe_error(exc), Level.ERROR))
        where = f" in {access.working_directory}" if access.mode is Mode.AGENT else ""
        self.notice.emit(Notice(NoticeKind.CLEAR, ""))
        log.info("Conversation mode: %s%s", access.mode.value, where)

    def start_new_in(self, access: ToolAccess) -> None:
        """New conversations in this window start with this access (``--agent DIR``)."""
        self._default_access = access
        if self.conversation is None:
            self._new_access = access

    def answer_permission(self, prompt_id: str, answer: Answer) -> None:
        if self.session is not None and not self.session.permissions.answer(prompt_id, answer):
            log.info("Permission request %s was no longer waiting", prompt_id)

    def _conversation_key(self) -> str | None:
        """What 'for this conversation' rules are kept under (an unsaved chat gets its own key)."""
        return self.conversation.id if self.conversation is not None else self._unsaved_key

    def _load_tools(self) -> list[SavedToolCall]:
        """The open conversation's saved tool calls, into the panel's timeline."""
        saved: list[SavedToolCall] = []
        if self.store is not None and self.conversation is not None:
            try:
                saved = self.store.tool_calls(self.conversation.id)
            except Exception as exc:
                log.warning("Could not load the conversation's tool calls: %s", exc)
        self.tools.clear()
        self.tools.load([s.call for s in saved])
        self.tools_reloaded.emit()
        return saved

    # -- start-up -------------------------------------------------------------------------
    def start(self) -> None:
        self.tasks.spawn(self.startup())

    async def startup(self) -> None:
        """Start the CLI if needed and check that answers can come from the chosen source."""
        self._set_phase(Phase.STARTING)
        self.source_changed.emit(self.source_label())
        self.notice.emit(Notice(NoticeKind.STARTING, "Starting Copilot…"))
        try:
            await self.service.start()
        except CopilotUnavailableError as exc:
            self._set_phase(Phase.FAILED)
            self.notice.emit(Notice(NoticeKind.FAILED, str(exc), Level.ERROR))
            return
        await self.check_source()

    async def check_source(self) -> None:
        s = self.settings
        if s.source is Source.ENDPOINT and not (s.endpoint_url and s.endpoint_model):
            self._set_phase(Phase.NEEDS_ENDPOINT)
            self.notice.emit(
                Notice(
                    NoticeKind.ENDPOINT,
                    "Choose the endpoint's base URL and model in Settings.",
                    Level.WARNING,
                )
            )
            return
        if s.source is Source.COPILOT:
            try:
                auth = await self.service.auth_status()
            except Exception as exc:
                self._set_phase(Phase.FAILED)
                self.notice.emit(Notice(NoticeKind.FAILED, describe_error(exc), Level.ERROR))
                return
            if not auth.authenticated:
                self._set_phase(Phase.NEEDS_SIGN_IN)
                command = self.login_command()
                self.notice.emit(
                    Notice(
                        NoticeKind.SIGN_IN,
                        "The Copilot CLI is not signed in to GitHub. Sign in by running\n"
                        f"    {command}\n"
                        "in a terminal, then press Re-check. Or use a model endpoint instead.",
                        Level.WARNING,
                    )
                )
                return
            self.tasks.spawn(self.refresh_models())
        elif s.source is Source.ENDPOINT:
            self.tasks.spawn(self.refresh_models())
        else:
            self.models_changed.emit([self.target().model_name], self.target().model_name)
        self._set_phase(Phase.READY)
        label = (
            "Ready." if s.source is not Source.DEMO else "Ready: answers come from the scripted demo model."
        )
        self.notice.emit(Notice(NoticeKind.READY, label))
        self._offer_retry()
        conversation = self.conversation
        if conversation is not None and conversation.session_id and self.session is None:
            await self._resume(conversation.session_id)
        self._flush_pending()

    async def endpoint_models(self, base_url: str, api_key: str | None) -> list[str]:
        """The models an OpenAI-compatible endpoint serves; raises ``EndpointError`` in the user's words."""
        return await fetch_models(base_url, api_key)

    async def refresh_models(self) -> None:
        s = self.settings
        try:
            if s.source is Source.ENDPOINT:
                models = await fetch_models(s.endpoint_url, self.target().api_key)
            elif s.source is Source.COPILOT:
                models = await self.service.copilot_models()
            else:
                models = [self.target().model_name]
        except (EndpointError, Exception) as exc:
            log.info("Could not list models: %s", exc)
            models = []
        current = self.target().model_name
        if current and current not in models:
            models.insert(0, current)
        self.models_changed.emit(models, current)

    async def apply_settings(self, settings: Settings) -> None:
        """New settings from the dialog or a model pick: re-check, and move the session over."""
        demo_changed = (settings.source is Source.DEMO) != (self.settings.source is Source.DEMO)
        self.settings = settings
        self.metrics.model = settings.model
        if demo_changed:
            # The scripted model is a connection-level handler: restart the CLI with or without it.
            if self.session is not None:
                await self.session.close()
                self.session = None
            await self.service.stop()
            self.service.demo = settings.source is Source.DEMO
            await self.startup()
            return
        if self.session is not None:
            try:
                await self.session.set_target(self.target())
            except Exception as exc:
                self.notice.emit(Notice(NoticeKind.ERROR, describe_error(exc), Level.ERROR))
        self.source_changed.emit(self.source_label())
        await self.check_source()

    # -- sending --------------------------------------------------------------------------
    def send(self, text: str) -> bool:
        """Send ``text`` now, or keep it in ``pending`` until the session can take it (while Copilot
        starts or restarts, a conversation opens or a reply streams): True, and the composer is
        cleared. False, with ``send_refused`` saying why, when it cannot be sent at all (no sign-in,
        no endpoint, a read-only conversation): the text stays in the composer."""
        if not text.strip():
            return False
        refusal = self.refusal()
        if refusal is not None:
            self.send_refused.emit(refusal)
            return False
        self._composer_text = ""
        if self.pending or not self.can_send_now():
            self.pending.add(text)
            self._pending_updated()
        else:
            self._start_send(text)
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
        prompt = self.pending.remove(key)
        if prompt is not None:
            self._pending_updated()
        return prompt

    def _flush_pending(self) -> None:
        """Send the first waiting prompt if the session can take it now (the rest follow in turn);
        the draft drops it once the send records it (``_send``), so nothing is written here."""
        if not self.pending:
            return
        if self.can_send_now():
            prompt = self.pending.take_first()
            assert prompt is not None
            self._start_send(prompt.text)
        self.pending_changed.emit()  # one fewer waits, or what they wait for changed

    def _pending_updated(self) -> None:
        self._persist_draft()
        self.pending_changed.emit()

    def _start_send(self, text: str) -> None:
        self._set_busy(True)  # at once: a second prompt must wait for this one, not race it
        self.tasks.spawn(self._send(text))

    async def _send(self, text: str) -> None:
        was_new = self.conversation is None
        recorder = self._ensure_recorder()
        if recorder is not None:
            recorder.user_message(text, self.target().model_name)
            if was_new and self.new_draft is not None:
                self.new_draft.save("")
        self._persist_draft()  # the sent prompt leaves the draft; what still waits or is typed stays
        self.user_message.emit(text)
        self.reply_started.emit()
        self.metrics.start()
        self._metrics_timer.start()
        self._last_activity = time.monotonic()
        self._timed_out = False
        self._silence_timer.start()
        try:
            if self.session is None:
                session_id = self.conversation.session_id if self.conversation else None
                self._attach_session(
                    await self.service.open_session(
                        self.target(), session_id, self.access(), self._conversation_key
                    )
                )
            assert self.session is not None
            await self.session.send(text)
        except (CopilotUnavailableError, Exception) as exc:
            message = describe_error(exc)
            log.warning("Send failed: %s", message)
            self.notice.emit(Notice(NoticeKind.ERROR, message, Level.ERROR))
            if recorder is not None:
                recorder.notice(message, Status.ERROR)
            self._finish_reply()

    # -- conversations ----------------------------------------------------------------------
    def _ensure_recorder(self) -> TurnRecorder | None:
        """The conversation is created in the store when its first prompt is sent."""
        if self.store is None:
            return None
        if self.conversation is None:
            target = self.target()
            access = self._new_access
            self.conversation = self.store.create_conversation(
                model=target.model_name,
                provider=self.provider_key(),
                mode=access.mode.value,
                working_dir=access.working_directory,
            )
        if self.recorder is None:
            self.recorder = TurnRecorder(
                self.store,
                self.conversation.id,
                on_error=lambda message: self.notice.emit(Notice(NoticeKind.ERROR, message, Level.ERROR)),
            )
            if self.session is not None:
                self._unsubscribe.append(self.session.events.subscribe(self.recorder))
        return self.recorder

    async def import_cli_sessions(self) -> CliImportResult:
        """The Copilot CLI's own sessions (the user's terminal history) into the store."""
        assert self.store is not None
        return await import_cli_sessions(self.service, self.store)

    def provider_key(self) -> str:
        s = self.settings
        if s.source is Source.ENDPOINT:
            return f"endpoint:{s.endpoint_url}"
        return s.source.value

    def _attach_session(self, session: ChatSession) -> None:
        self.session = session
        self._unsubscribe.append(session.events.subscribe(self.metrics))
        self._unsubscribe.append(session.events.subscribe(self._activity))
        self._unsubscribe.append(session.events.subscribe(self.tools))
        if self.recorder is not None:
            self._unsubscribe.append(session.events.subscribe(self.recorder))
        self.bridge.attach(session.events)
        conversation = self.conversation
        if self.store is None or conversation is None or conversation.session_id == session.session_id:
            return
        self.store.update_conversation(conversation.id, session_id=session.session_id)
        self.conversation = self.store.get_conversation(conversation.id)

    async def _detach_session(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self.bridge.detach()
        if self.recorder is not None:
            self.recorder.close()
            self.recorder = None
        session, self.session = self.session, None
        if session is not None:
            await session.close()

    async def new_conversation(self) -> None:
        """Leave the current conversation (saved as it is) and start an empty one."""
        self._leave_pending_behind()
        self._switching = True
        try:
            await self._new_conversation()
        finally:
            self._switching = False
            self._flush_pending()

    def _leave_pending_behind(self) -> None:
        """Prompts waiting when the user goes to another conversation stay with the one they were
        typed in, as its draft (saved there already), instead of going to the next one."""
        if self.pending and not self._switching:
            self._persist_draft()
            self.pending.clear()
            self.pending_changed.emit()

    async def _new_conversation(self) -> None:
        if self.busy:
            await self._abort_and_wait()
        await self._detach_session()
        self.conversation = None
        self._composer_text = self.draft()  # what the composer will show
        self._new_access = self._default_access
        self._unsaved_key = uuid.uuid4().hex
        self.read_only = False
        self._load_tools()
        self.access_changed.emit(self.access())
        self.conversation_opened.emit(None)
        self.notice.emit(Notice(NoticeKind.CLEAR, ""))

    async def open_conversation(self, conversation_id: str) -> None:
        """Show a saved conversation at once, then resume its Copilot session."""
        if self.conversation is None or self.conversation.id != conversation_id:
            self._leave_pending_behind()
        self._switching = True
        self.pending_changed.emit()  # what the waiting prompts wait for changed
        try:
            await self._open_conversation(conversation_id)
        finally:
            self._switching = False
            self._flush_pending()

    async def _open_conversation(self, conversation_id: str) -> None:
        if self.store is None:
            return
        if self.conversation is not None and self.conversation.id == conversation_id:
            return
        conversation = self.store.get_conversation(conversation_id)
        if conversation is None:
            return
        if self.busy:
            await self._abort_and_wait()
        await self._detach_session()
        self.conversation = conversation
        self._composer_text = conversation.draft  # what the composer will show
        self.read_only = False
        messages = self.store.messages(conversation_id)
        calls = self._load_tools()
        self.access_changed.emit(self.access())
        self.conversation_opened.emit(ConversationWithMessages(conversation, messages, calls))
        self.notice.emit(Notice(NoticeKind.CLEAR, ""))
        self._offer_retry()
        if conversation.session_id and self.phase is Phase.READY:
            await self._resume(conversation.session_id)

    def _offer_retry(self) -> None:
        """If the open conversation's last reply was cut off by a crash, say so with a Retry."""
        if self.store is None or self.conversation is None or self.busy:
            return
        messages = self.store.messages(self.conversation.id)
        if messages and messages[-1].status is Status.INTERRUPTED:
            self.notice.emit(
                Notice(
                    NoticeKind.INTERRUPTED, "The last reply was cut off when the app closed.", Level.WARNING
                )
            )

    async def _resume(self, session_id: str) -> None:
        try:
            session = await self.service.open_session(
                self.target(), session_id, self.access(), self._conversation_key
            )
        except Exception as exc:
            log.info("Could not resume session %s: %s", session_id, describe_error(exc))
            self.read_only = True
            self.phase_changed.emit(self.phase)
            self.notice.emit(
                Notice(
                    NoticeKind.RESUME_FAILED,
                    "Copilot no longer has this conversation's session, so it is shown read-only. "
                    "You can continue it in a new session (the model will not see the earlier "
                    "messages).",
                    Level.WARNING,
                )
            )
            return
        self._attach_session(session)

    def draft(self) -> str:
        if self.conversation is not None:
            return self.conversation.draft
        return self.new_draft.load() if self.new_draft is not None else ""

    def save_draft(self, text: str) -> None:
        """Called (debounced) as the user types, so a crash loses no draft. Waiting prompts are
        saved with it until they are sent."""
        self._composer_text = text
        self._persist_draft()

    def _persist_draft(self) -> None:
        text = draft_with_pending(self.pending.texts(), self._composer_text)
        try:
            if self.conversation is not None and self.store is not None:
                if text != self.conversation.draft:
                    self.store.set_draft(self.conversation.id, text)
                    self.conversation = self.store.get_conversation(self.conversation.id)
            elif self.new_draft is not None:
                self.new_draft.save(text)
        except Exception as exc:  # a full disk must not break typing
            log.warning("Could not save the draft: %s", exc)

    def continue_in_new_session(self) -> None:
        """Leave a read-only conversation writable again, in a fresh Copilot session."""
        if self.store is not None and self.conversation is not None:
            self.store.update_conversation(self.conversation.id, session_id=None)
            self.conversation = self.store.get_conversation(self.conversation.id)
        self.read_only = False
        self.phase_changed.emit(self.phase)
        self.notice.emit(Notice(NoticeKind.CLEAR, ""))
        self._flush_pending()

    def retry_last(self) -> None:
        """Send the last prompt again (after an interrupted or failed reply)."""
        if self.store is None or self.conversation is None:
            return
        prompts = [m for m in self.store.messages(self.conversation.id) if m.role is Role.USER]
        if prompts:
            self.send(prompts[-1].content)

    async def _abort_and_wait(self) -> None:
        finished = asyncio.get_running_loop().create_future()

        def done() -> None:
            if not finished.done():
                finished.set_result(None)

        self.reply_finished.connect(done)
        try:
            self.stop()
            await asyncio.wait_for(finished, timeout=10)
        except TimeoutError:
            self._finish_reply()
        finally:
            self.reply_finished.disconnect(done)

    def stop(self) -> None:
        if self.busy and self.session is not None:
            self.tasks.spawn(self._abort())

    async def _abort(self) -> None:
        assert self.session is not None
        try:
            await asyncio.wait_for(self.session.abort(), timeout=10)
        except Exception as exc:
            self.notice.emit(
                Notice(NoticeKind.ERROR, f"Could not stop the reply: {describe_error(exc)}", Level.ERROR)
            )
            self._finish_reply()

    # -- events ---------------------------------------------------------------------------
    @Slot(str)
    def _on_first_text(self, _text: str) -> None:
        if self._retrying:
            self._retrying = False
            self.notice.emit(Notice(NoticeKind.CLEAR, ""))

    @Slot(str, int, int)
    def _on_call_failed(self, message: str, attempt: int, status: int) -> None:
        self._retrying = True
        detail_text = f" (HTTP {status})" if status >= 0 else ""
        count = f" ({attempt + 1}/{CLI_RETRIES})" if attempt >= 0 else ""
        self.notice.emit(
            Notice(
                NoticeKind.RETRYING,
                f"The model call failed{detail_text}: {message}\nCopilot is retrying{count}…",
                Level.WARNING,
            )
        )

    @Slot(str)
    def _on_session_failed(self, message: str) -> None:
        self.notice.emit(Notice(NoticeKind.ERROR, message, Level.ERROR))

    @Slot(bool)
    def _on_idle(self, aborted: bool) -> None:
        if self._retrying:
            self._retrying = False
            self.notice.emit(Notice(NoticeKind.CLEAR, ""))
        self._finish_reply()

    @Slot(str)
    def _on_cli_exited(self, message: str) -> None:
        self._finish_reply()
        self.notice.emit(
            Notice(
                NoticeKind.INTERRUPTED,
                f"{message}\nThe app starts it again and resumes this conversation; what arrived is "
                "kept. Retry sends your last message again.",
                Level.ERROR,
            )
        )

    def _activity(self, _event: object) -> None:
        self._last_activity = time.monotonic()

    @Slot()
    def _check_silence(self) -> None:
        """Stop a reply that shows no sign of life (tools that run or wait for you are alive)."""
        if not self.busy or self._timed_out:
            return
        if any(call.status in (ToolStatus.PENDING, ToolStatus.RUNNING) for call in self.tools.calls):
            self._last_activity = time.monotonic()
            return
        limit = self.settings.reply_timeout_s
        if time.monotonic() - self._last_activity < limit:
            return
        self._timed_out = True
        log.info("No sign of life from the reply for %d s: stopping it", limit)
        self.notice.emit(
            Notice(
                NoticeKind.INTERRUPTED,
                f"No reply from the model for {limit} seconds, so it was stopped (Settings → "
                "Conversations sets this limit). Retry sends your message again.",
                Level.ERROR,
            )
        )
        self.stop()

    def _finish_reply(self) -> None:
        self._silence_timer.stop()
        self._metrics_timer.stop()
        self._publish_metrics()
        if self.busy:
            self._set_busy(False)
            self.reply_finished.emit()
            # Later, so whoever awaits ``reply_finished`` sees the reply over before the next starts.
            QTimer.singleShot(0, self._flush_pending)

    @Slot()
    def _publish_metrics(self, *_args: object) -> None:
        self.metrics_changed.emit(self.metrics.snapshot())

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phase_changed.emit(phase)

    async def close(self) -> None:
        """The window closed: stop its turn (what arrived is kept), then let go of the session."""
        self._closed = True  # waiting prompts stay in the draft, unsent
        self._metrics_timer.stop()
        if self.busy and self.session is not None:
            try:
                await asyncio.wait_for(self.session.abort(), timeout=5)
            except Exception as exc:
                log.info("Could not stop the reply of a closing window: %s", describe_error(exc))
        self.tasks.cancel_all()
        await self._detach_session()
        self._finish_reply()
