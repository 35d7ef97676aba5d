"""The controller, driven as a window drives it: offline, against the scripted model server, or with
the real CLI and the scripted demo model. Nothing is mocked; only the models are scripted.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from pytestqt.qtbot import QtBot

from desktop_app.core.config.credentials import FileSecretStore
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import Settings
from desktop_app.core.conversation.metrics import MetricsSnapshot
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.drafts import NewConversationDraft
from desktop_app.core.storage.models import ConversationWithMessages, Role
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.catalog.model import CatalogModel, plain_models
from desktop_app.core.vocabulary.events import Usage
from desktop_app.core.vocabulary.notices import Level, Notice, NoticeKind, Phase
from desktop_app.core.vocabulary.targets import Source
from desktop_app.ui.controller.controller import ChatController
from tests.conftest import wait_signal, wait_until
from tests.model_server import MODEL, ModelServer


class Seen:
    """Everything a controller said, signal by signal."""

    def __init__(self, controller: ChatController) -> None:
        self.notices: list[Notice] = []
        self.phases: list[Phase] = []
        self.refusals: list[str] = []
        self.models: list[tuple[list[CatalogModel], str]] = []
        self.sources: list[str] = []
        self.opened: list[ConversationWithMessages | None] = []
        self.access: list[ToolAccess] = []
        self.metrics: list[MetricsSnapshot] = []
        self.busy: list[bool] = []
        self.prompts: list[str] = []
        self.pending_changes = 0
        controller.notice.connect(self.notices.append)
        controller.phase_changed.connect(self.phases.append)
        controller.send_refused.connect(self.refusals.append)
        controller.models_changed.connect(lambda models, current: self.models.append((models, current)))
        controller.source_changed.connect(self.sources.append)
        controller.conversation_opened.connect(self.opened.append)
        controller.access_changed.connect(self.access.append)
        controller.metrics_changed.connect(self.metrics.append)
        controller.busy_changed.connect(self.busy.append)
        controller.user_message.connect(self.prompts.append)
        controller.pending_changed.connect(self._pending_changed)

    def _pending_changed(self) -> None:
        self.pending_changes += 1

    def kinds(self) -> list[NoticeKind]:
        return [notice.kind for notice in self.notices]


def make_controller(
    root: Path, settings: Settings | None = None, *, cli_home: Path | None = None, cli_path: str | None = None
) -> ChatController:
    """A controller with a store; its CLI homes under ``cli_home`` (shared, for a real CLI) or ``root``.
    Its service is stopped by ``shut``, as the app stops its one service after the last window."""
    settings = settings or Settings()
    paths = AppPaths.under(root)
    service = CopilotService(
        AppPaths.under(cli_home) if cli_home else paths,
        cli_path=cli_path,
        demo=settings.source is Source.DEMO,
    )
    store = ConversationStore(open_database(paths.data_dir).connection)
    secrets, new_draft = FileSecretStore(root / "key"), NewConversationDraft(paths.data_dir)
    controller = ChatController(service, settings, secrets, store=store, new_draft=new_draft)
    SERVICES[controller] = service
    return controller


SERVICES: dict[ChatController, CopilotService] = {}


async def shut(controller: ChatController) -> None:
    await controller.close()
    await SERVICES.pop(controller).stop()


@pytest.fixture
def model_server() -> Iterator[ModelServer]:
    server = ModelServer.start()
    yield server
    server.stop()


@pytest_asyncio.fixture
async def offline(qtbot: QtBot, tmp_path: Path) -> AsyncIterator[ChatController]:
    """Never started: Copilot is 'starting' for as long as the test runs."""
    controller = make_controller(tmp_path)
    yield controller
    await shut(controller)


# -- offline ----------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_prompt_sent_while_copilot_starts_waits_and_is_kept_in_the_draft(
    offline: ChatController, tmp_path: Path
) -> None:
    seen = Seen(offline)
    assert offline.phase is Phase.STARTING
    assert offline.send("   ") is False  # nothing to send
    assert offline.send("first question") and offline.send("second one")
    assert offline.pending.texts() == ["first question", "second one"] and seen.pending_changes == 2
    assert offline.wait_reason() == "Sends when Copilot is ready"
    assert offline.draft() == "first question\n\nsecond one"  # a crash now loses neither
    assert seen.prompts == [] and not offline.busy and seen.refusals == []


@pytest.mark.asyncio
async def test_copilot_that_cannot_start_says_why_and_refuses_prompts(qtbot: QtBot, tmp_path: Path) -> None:
    controller = make_controller(tmp_path, cli_path=str(tmp_path / "no-such-copilot"))
    seen = Seen(controller)
    try:
        assert controller.send("typed at once")  # waits while it starts
        await controller.start()
        assert seen.phases == [Phase.STARTING, Phase.FAILED] and seen.sources == ["GitHub Copilot"]
        assert seen.kinds() == [NoticeKind.STARTING, NoticeKind.FAILED]
        assert "is not an executable file" in seen.notices[-1].text and seen.notices[-1].level is Level.ERROR
        assert controller.wait_reason() == "Waiting: Copilot could not start (see above)."
        assert controller.send("and now?") is False
        assert seen.refusals == ["Not sent: Copilot could not start (see above)."]
        assert controller.pending.texts() == ["typed at once"]  # kept, never lost
        reports: list[tuple[str, Level]] = []
        await controller.import_cli_sessions(lambda text, level: reports.append((text, level)))
        why = seen.notices[-1].text
        assert reports == [(f"Could not read the Copilot CLI's sessions: {why}", Level.ERROR)]
    finally:
        await shut(controller)


@pytest.mark.asyncio
async def test_switching_conversations_keeps_each_ones_draft(offline: ChatController) -> None:
    store = offline.store
    assert store is not None
    alpha = store.create_conversation(model="m", title="Alpha")
    store.add_message(alpha.id, Role.USER, "hello from alpha")
    seen = Seen(offline)
    offline.save_draft("for the new one")
    await offline.open_conversation(alpha.id)
    opened = seen.opened[-1]
    assert opened is not None and opened.conversation.id == alpha.id
    assert [m.content for m in opened.messages] == ["hello from alpha"] and opened.conversation.draft == ""
    offline.save_draft("for alpha")
    await offline.new_conversation()
    assert seen.opened[-1] is None and offline.conversation is None
    assert offline.draft() == "for the new one"
    await offline.open_conversation(alpha.id)
    reopened = seen.opened[-1]
    assert reopened is not None and reopened.conversation.draft == "for alpha"
    assert seen.access == [ToolAccess(), ToolAccess(), ToolAccess()]
    assert NoticeKind.CLEAR in seen.kinds()
    await offline.open_conversation(alpha.id)  # open already: nothing happens
    assert len(seen.opened) == 3


@pytest.mark.asyncio
async def test_each_conversation_shows_its_own_last_reply_figures(offline: ChatController) -> None:
    store = offline.store
    assert store is not None
    alpha, beta = store.create_conversation(model="m", title="Alpha"), store.create_conversation(title="Beta")
    store.add_message(alpha.id, Role.USER, "hello")
    store.add_message(
        alpha.id,
        Role.ASSISTANT,
        "hi",
        model="gpt-x",
        output_tokens=340,
        duration_ms=11_200.0,
        ttft_ms=1_200.0,
    )
    store.add_message(beta.id, Role.USER, "imported, no figures")
    seen = Seen(offline)
    offline.metrics.start()  # something measured in the conversation being left
    await offline.open_conversation(alpha.id)
    assert seen.metrics[-1].describe() == "Last reply: 1.2 s to first token · 34 tok/s · 340 tokens · gpt-x"
    count = len(seen.metrics)
    offline.bridge.usage.emit(Usage("late", 1, 2, None, None))  # a late event of the session left
    offline.bridge.idle.emit(False)
    assert len(seen.metrics) == count  # nothing measured here: alpha's saved figures stay
    await offline.open_conversation(beta.id)
    assert seen.metrics[-1].describe() == "No reply yet"  # not alpha's
    await offline.new_conversation()
    assert seen.metrics[-1].describe() == "No reply yet"
    assert offline.metrics.snapshot().describe() == "No reply yet"


@pytest.mark.asyncio
async def test_a_prompt_waiting_when_the_user_leaves_stays_with_its_conversation(
    offline: ChatController,
) -> None:
    store = offline.store
    assert store is not None
    alpha = store.create_conversation(model="m", title="Alpha")
    await offline.open_conversation(alpha.id)
    assert offline.send("for alpha")  # waits: Copilot is still starting
    await offline.new_conversation()
    assert not offline.pending and offline.draft() == ""
    assert store.get_conversation(alpha.id).draft == "for alpha"  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_access_is_the_conversations_and_new_ones_start_with_the_windows(
    offline: ChatController, tmp_path: Path
) -> None:
    seen = Seen(offline)
    agent = ToolAccess(Mode.AGENT, str(tmp_path))
    await offline.set_access(agent)
    assert offline.access() == agent and seen.access == [agent] and seen.kinds() == [NoticeKind.CLEAR]
    await offline.set_access(agent)  # the same again: nothing to do
    assert seen.access == [agent]
    await offline.new_conversation()
    assert offline.access() == ToolAccess()
    offline.start_new_in(agent)  # --agent DIR
    assert offline.access() == agent


@pytest.mark.asyncio
async def test_new_settings_are_applied_and_checked(
    offline: ChatController, model_server: ModelServer
) -> None:
    seen = Seen(offline)
    await offline.apply_settings(Settings(source=Source.ENDPOINT))
    assert offline.phase is Phase.NEEDS_ENDPOINT and seen.kinds() == [NoticeKind.ENDPOINT]
    assert seen.sources == ["Endpoint (not set)"]
    assert offline.send("hello?") is False
    assert seen.refusals == ["Not sent: choose the endpoint's base URL and model in Settings first."]
    chosen = Settings(source=Source.ENDPOINT, endpoint_url=model_server.base_url, endpoint_model=MODEL)
    await offline.apply_settings(chosen)
    assert offline.settings == chosen and offline.metrics.model == MODEL
    assert offline.phase is Phase.READY and seen.notices[-1] == Notice(NoticeKind.READY, "Ready.")
    assert seen.sources[-1] == f"Endpoint {model_server.base_url}"
    await wait_until(lambda: bool(seen.models) and not offline.working)
    assert seen.models == [(plain_models(sorted(model_server.models)), MODEL)]


@pytest.mark.asyncio
async def test_an_endpoints_models_or_why_not_come_back_to_the_caller(
    offline: ChatController, model_server: ModelServer
) -> None:
    got: list[Any] = []
    await offline.fetch_endpoint_models(model_server.base_url, None, got.append, got.append)
    assert got == [sorted(model_server.models)]
    got.clear()
    await offline.fetch_endpoint_models("http://127.0.0.1:9/v1", "sk-x", got.append, got.append)
    assert got == ["Could not reach http://127.0.0.1:9/v1/models: ConnectError"]


# -- the real CLI ------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_signed_out_copilot_shows_how_to_sign_in_and_refuses_prompts(
    qtbot: QtBot, tmp_path: Path, cli_home: Path
) -> None:
    controller = make_controller(tmp_path, cli_home=cli_home)
    seen = Seen(controller)
    try:
        await controller.start()
        assert controller.phase is Phase.NEEDS_SIGN_IN
        notice = seen.notices[-1]
        assert notice.kind is NoticeKind.SIGN_IN and "Sign in with GitHub" in notice.text
        assert f"COPILOT_HOME={cli_home / 'copilot-home'}" in controller.login_command()
        assert controller.send("hello?") is False
        assert seen.refusals == ["Not sent: sign in to GitHub first (see above), or use a model endpoint."]
        await controller.recheck()  # Re-check: still signed out
        assert seen.phases[-1] is Phase.NEEDS_SIGN_IN and seen.kinds().count(NoticeKind.SIGN_IN) == 2
        assert controller.cli_version  # for the About dialog
    finally:
        await shut(controller)


@pytest.mark.asyncio
async def test_the_demo_model_answers_a_prompt_sent_while_copilot_starts(
    qtbot: QtBot, tmp_path: Path, cli_home: Path
) -> None:
    controller = make_controller(tmp_path, Settings(source=Source.DEMO), cli_home=cli_home)
    seen = Seen(controller)
    finished = asyncio.ensure_future(wait_signal(controller.reply_finished, 90))
    try:
        controller.start()
        assert controller.send("show me a table")  # before Copilot is ready: it waits
        assert controller.pending.texts() == ["show me a table"]
        await finished
        ready = Notice(NoticeKind.READY, "Ready: answers come from the scripted demo model.")
        assert seen.notices[1] == ready
        assert seen.models == [(plain_models(["scripted-demo"]), "scripted-demo")]
        assert seen.prompts == ["show me a table"] and not controller.pending and seen.busy == [True, False]
        assert seen.metrics[-1].model == "scripted-demo" and seen.metrics[-1].output_tokens > 0
        conversation = controller.conversation
        assert conversation is not None and conversation.provider == "demo" and conversation.session_id
        store = controller.store
        assert store is not None
        await wait_until(lambda: len(store.messages(conversation.id)) == 2)
        user, reply = store.messages(conversation.id)
        assert user.content == "show me a table" and "Comparison" in reply.content
        assert controller.session is not None and controller.draft() == ""
    finally:
        await shut(controller)


@pytest.mark.asyncio
async def test_a_reply_gone_silent_is_stopped_with_a_notice(
    qtbot: QtBot, tmp_path: Path, cli_home: Path, model_server: ModelServer
) -> None:
    settings = Settings(source=Source.ENDPOINT, endpoint_url=model_server.base_url, endpoint_model=MODEL)
    controller = make_controller(tmp_path, settings, cli_home=cli_home)
    seen = Seen(controller)
    try:
        await controller.start()
        assert controller.phase is Phase.READY
        for prompt in ("hello", "HANG"):  # HANG starts a reply, then says nothing more
            finished = asyncio.ensure_future(wait_signal(controller.reply_finished, 60))
            assert controller.send(prompt)
            await finished
            # A limit as short as can be, now the session is open (the settings allow 5 s at least).
            await controller.apply_settings(settings.with_overrides(reply_timeout_s=1))
        silent = [n for n in seen.notices if n.kind is NoticeKind.INTERRUPTED]
        assert len(silent) == 1 and silent[0].text.startswith("No reply from the model for 1 seconds")
        assert silent[0].level is Level.ERROR and not controller.busy
    finally:
        await shut(controller)
