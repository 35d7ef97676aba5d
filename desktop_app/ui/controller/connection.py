"""Whether answers can come from the chosen source: the CLI started, GitHub signed in or the endpoint
set, and which models it offers. Its ``phase`` says whether a window can send, and if not, why.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop_app.core.config.credentials import SecretStore, resolve_api_key
from desktop_app.core.config.settings import Settings
from desktop_app.core.copilot.byok.endpoint_models import fetch_models
from desktop_app.core.copilot.cli_sessions import import_cli_sessions
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.copilot.session_options import chat_target
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.vocabulary import notices
from desktop_app.core.vocabulary.catalog.model import CatalogModel, find_model, plain_models
from desktop_app.core.vocabulary.copilot_errors import CopilotUnavailableError, EndpointError, describe_error
from desktop_app.core.vocabulary.notices import Level, Notice, Phase
from desktop_app.core.vocabulary.targets import ChatTarget, Source
from desktop_app.ui.platform.tasks import TaskGroup

log = logging.getLogger(__name__)


class Connection(QObject):
    """Signals:
    phase_changed(Phase): whether the window can send now.
    notice(Notice): what the banner should say about it.
    models_changed(list, str): the models the source offers (``CatalogModel``s), and the selected one.
    source_changed(str): where answers come from, in the window's words.
    """

    phase_changed = Signal(Phase)
    notice = Signal(Notice)
    models_changed = Signal(list, str)
    source_changed = Signal(str)

    def __init__(
        self,
        service: CopilotService,
        settings: Settings,
        secrets: SecretStore,
        tasks: TaskGroup,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.settings = settings
        self.secrets = secrets
        self.phase = Phase.STARTING
        self._tasks = tasks

    def target(self) -> ChatTarget:
        """Where answers come from, with the endpoint's key (from ``--api-key-env`` or the store)."""
        s = self.settings
        key = resolve_api_key(self.secrets, s.api_key_env) if s.source is Source.ENDPOINT else None
        return chat_target(s, key)

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

    def set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phase_changed.emit(phase)

    def say_source(self) -> None:
        self.source_changed.emit(chat_target(self.settings).label)

    async def start(self) -> bool:
        """Start the CLI if needed, then check the source; True when the window can send."""
        self.set_phase(Phase.STARTING)
        self.say_source()
        self.notice.emit(notices.STARTING)
        try:
            await self.service.start()
        except CopilotUnavailableError as exc:
            self.set_phase(Phase.FAILED)
            self.notice.emit(notices.failed_to_start(str(exc)))
            return False
        return await self.check()

    async def restart(self) -> bool:
        """Start the CLI afresh, with or without the scripted model (a connection-level handler)."""
        await self.service.stop()
        self.service.demo = self.settings.source is Source.DEMO
        return await self.start()

    async def check(self) -> bool:
        """Signed in, or the endpoint set? True when the window can send (the models follow)."""
        s = self.settings
        if s.source is Source.ENDPOINT and not (s.endpoint_url and s.endpoint_model):
            self.set_phase(Phase.NEEDS_ENDPOINT)
            self.notice.emit(notices.NEEDS_ENDPOINT)
            return False
        if s.source is Source.COPILOT:
            try:
                auth = await self.service.auth_status()
            except Exception as exc:
                self.set_phase(Phase.FAILED)
                self.notice.emit(notices.failed_to_start(describe_error(exc)))
                return False
            if not auth.authenticated:
                self.set_phase(Phase.NEEDS_SIGN_IN)
                self.notice.emit(notices.sign_in_needed())
                self._tasks.spawn(self.service.accounts.refresh())  # a sign-out elsewhere shows here
                return False
            self._tasks.spawn(self.service.accounts.refresh())  # who, on which plan
        if s.source is Source.DEMO:
            self.models_changed.emit(plain_models([self.target().model_name]), self.target().model_name)
        else:
            self._tasks.spawn(self.refresh_models())
        self.set_phase(Phase.READY)
        self.notice.emit(notices.ready(s.source is Source.DEMO))
        return True

    async def refresh_models(self) -> None:
        """Copilot's models as it describes them; an endpoint's (and the demo's) by name."""
        s = self.settings
        models: list[CatalogModel]
        try:
            if s.source is Source.ENDPOINT:
                models = plain_models(await fetch_models(s.endpoint_url, self.target().api_key))
            elif s.source is Source.COPILOT:
                models = await self.service.copilot_models()
            else:
                models = plain_models([self.target().model_name])
        except Exception as exc:  # EndpointError, or the CLI's
            log.info("Could not list models: %s", exc)
            models = []
        current = self.target().model_name
        if current and find_model(models, current) is None:
            models.insert(0, CatalogModel(current))
        self.models_changed.emit(models, current)

    def fetch_endpoint_models(
        self,
        base_url: str,
        api_key: str | None,
        on_models: Callable[[list[str]], None],
        on_error: Callable[[str], None],
    ) -> asyncio.Task[None]:
        """The models an OpenAI-compatible endpoint serves (no key given: the stored one)."""

        async def fetch() -> None:
            try:
                models = await fetch_models(base_url, api_key or self.target().api_key)
            except EndpointError as exc:  # in the user's words
                on_error(str(exc))
                return
            except Exception as exc:
                on_error(describe_error(exc))
                return
            on_models(models)

        return self._tasks.spawn(fetch())

    def import_cli_sessions(
        self, store: ConversationStore | None, report: Callable[[str, Level], None]
    ) -> asyncio.Task[None]:
        """The Copilot CLI's own sessions (the terminal's history) into the store; ``report`` says how."""
        assert store is not None  # the window has one once it shows

        async def run() -> None:
            try:
                result = await import_cli_sessions(self.service, store)
            except Exception as exc:
                report(f"Could not read the Copilot CLI's sessions: {describe_error(exc)}", Level.ERROR)
                return
            report(result.summary, Level.INFO)

        return self._tasks.spawn(run())
