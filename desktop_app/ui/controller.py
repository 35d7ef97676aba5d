"""Drives one chat window: starts the session, sends prompts, and turns failures into messages."""

from __future__ import annotations

import asyncio
import logging
import shlex
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop_app.core.copilot_service import (
    ChatSession,
    ChatTarget,
    CopilotService,
    CopilotUnavailableError,
    describe_error,
)
from desktop_app.core.credentials import SecretStore, resolve_api_key
from desktop_app.core.endpoint_models import EndpointError, fetch_models
from desktop_app.core.metrics import StreamMetrics
from desktop_app.core.settings import Settings, Source
from desktop_app.ui.session_bridge import SessionBridge
from desktop_app.ui.tasks import TaskGroup

log = logging.getLogger(__name__)


class Phase(StrEnum):
    STARTING = "starting"
    READY = "ready"
    NEEDS_SIGN_IN = "needs_sign_in"
    NEEDS_ENDPOINT = "needs_endpoint"
    FAILED = "failed"


@dataclass(frozen=True)
class Notice:
    """What the banner should say; ``kind`` picks its buttons."""

    kind: str  # starting | ready | sign_in | endpoint | failed | retrying | error | clear
    text: str
    level: str = "info"


class ChatController(QObject):
    """Owns a window's ``ChatSession`` and its subscribers (bridge, metrics).

    Signals:
        notice(object): a ``Notice`` for the banner.
        phase_changed(str): the ``Phase`` the window is in.
        busy_changed(bool): a reply started (True) or ended (False).
        metrics_changed(object): a fresh ``MetricsSnapshot``.
        models_changed(list, str): models to offer in the picker, and the selected one.
        source_changed(str): a label for where answers come from.
        user_message(str): a prompt was sent (for the view).
        reply_started(): the assistant turn begins (for the view).
        reply_finished(): the reply is over, whatever the outcome.
    """

    notice = Signal(object)
    phase_changed = Signal(str)
    busy_changed = Signal(bool)
    metrics_changed = Signal(object)
    models_changed = Signal(list, str)
    source_changed = Signal(str)
    user_message = Signal(str)
    reply_started = Signal()
    reply_finished = Signal()

    def __init__(
        self,
        service: CopilotService,
        settings: Settings,
        secrets: SecretStore,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.settings = settings
        self.secrets = secrets
        self.bridge = SessionBridge(self)
        self.metrics = StreamMetrics(settings.model)
        self.session: ChatSession | None = None
        self.phase = Phase.STARTING
        self.busy = False
        self.tasks = TaskGroup("chat")
        self._retrying = False
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
            return ChatTarget(Source.ENDPOINT, s.endpoint_model, s.endpoint_url, key)
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

    # -- start-up -------------------------------------------------------------------------
    def start(self) -> None:
        self.tasks.spawn(self.startup())

    async def startup(self) -> None:
        """Start the CLI if needed and check that answers can come from the chosen source."""
        self._set_phase(Phase.STARTING)
        self.source_changed.emit(self.source_label())
        self.notice.emit(Notice("starting", "Starting Copilot…"))
        try:
            await self.service.start()
        except CopilotUnavailableError as exc:
            self._set_phase(Phase.FAILED)
            self.notice.emit(Notice("failed", str(exc), "error"))
            return
        await self.check_source()

    async def check_source(self) -> None:
        s = self.settings
        if s.source is Source.ENDPOINT and not (s.endpoint_url and s.endpoint_model):
            self._set_phase(Phase.NEEDS_ENDPOINT)
            self.notice.emit(
                Notice("endpoint", "Choose the endpoint's base URL and model in Settings.", "warning")
            )
            return
        if s.source is Source.COPILOT:
            try:
                auth = await self.service.auth_status()
            except Exception as exc:
                self._set_phase(Phase.FAILED)
                self.notice.emit(Notice("failed", describe_error(exc), "error"))
                return
            if not auth.authenticated:
                self._set_phase(Phase.NEEDS_SIGN_IN)
                command = self.login_command()
                self.notice.emit(
                    Notice(
                        "sign_in",
                        "The Copilot CLI is not signed in to GitHub. Sign in by running\n"
                        f"    {command}\n"
                        "in a terminal, then press Re-check. Or use a model endpoint instead.",
                        "warning",
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
        self.notice.emit(Notice("ready", label))

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
                self.notice.emit(Notice("error", describe_error(exc), "error"))
        self.source_changed.emit(self.source_label())
        await self.check_source()

    # -- sending --------------------------------------------------------------------------
    def send(self, text: str) -> bool:
        """Start sending ``text``; False when it cannot be sent now (the text stays in the composer)."""
        if self.busy or self.phase is not Phase.READY or not text.strip():
            return False
        self.tasks.spawn(self._send(text))
        return True

    async def _send(self, text: str) -> None:
        self._set_busy(True)
        self.user_message.emit(text)
        self.reply_started.emit()
        self.metrics.start()
        self._metrics_timer.start()
        try:
            if self.session is None:
                self.session = await self.service.open_session(self.target())
                self.session.events.subscribe(self.metrics)
                self.bridge.attach(self.session.events)
            await self.session.send(text)
        except (CopilotUnavailableError, Exception) as exc:
            message = describe_error(exc)
            log.warning("Send failed: %s", message)
            self.notice.emit(Notice("error", message, "error"))
            self._finish_reply()

    def stop(self) -> None:
        if self.busy and self.session is not None:
            self.tasks.spawn(self._abort())

    async def _abort(self) -> None:
        assert self.session is not None
        try:
            await asyncio.wait_for(self.session.abort(), timeout=10)
        except Exception as exc:
            self.notice.emit(Notice("error", f"Could not stop the reply: {describe_error(exc)}", "error"))
            self._finish_reply()

    # -- events ---------------------------------------------------------------------------
    @Slot(str)
    def _on_first_text(self, _text: str) -> None:
        if self._retrying:
            self._retrying = False
            self.notice.emit(Notice("clear", ""))

    @Slot(str, int, int)
    def _on_call_failed(self, message: str, attempt: int, status: int) -> None:
        self._retrying = True
        details = [f"HTTP {status}"] if status >= 0 else []
        if attempt >= 0:
            details.append(f"attempt {attempt + 1}")
        detail_text = f" ({', '.join(details)})" if details else ""
        self.notice.emit(
            Notice(
                "retrying",
                f"The model call failed{detail_text}: {message}\nCopilot is retrying…",
                "warning",
            )
        )

    @Slot(str)
    def _on_session_failed(self, message: str) -> None:
        self.notice.emit(Notice("error", message, "error"))

    @Slot(bool)
    def _on_idle(self, aborted: bool) -> None:
        if self._retrying:
            self._retrying = False
            self.notice.emit(Notice("clear", ""))
        self._finish_reply()

    @Slot(str)
    def _on_cli_exited(self, message: str) -> None:
        self.notice.emit(Notice("error", message, "error"))
        self._finish_reply()

    def _finish_reply(self) -> None:
        self._metrics_timer.stop()
        self._publish_metrics()
        if self.busy:
            self._set_busy(False)
            self.reply_finished.emit()

    @Slot()
    def _publish_metrics(self, *_args: object) -> None:
        self.metrics_changed.emit(self.metrics.snapshot())

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phase_changed.emit(phase.value)

    async def close(self) -> None:
        self._metrics_timer.stop()
        self.tasks.cancel_all()
        self.bridge.detach()
        if self.session is not None:
            session, self.session = self.session, None
            await session.close()
