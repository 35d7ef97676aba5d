"""Premium usage in a real window: the controller's usage watch feeds the status bar's gauge from the
service's quota keeper and the session's events, and a quota refusal (a real ``SessionEvent`` from
the SDK's ``from_dict``, mapped and delivered by a real ``ChatSession``) reads clearly in the banner
and the conversation. No CLI runs: the quota readings are handed to the keeper as the CLI's would be."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.config.credentials import FileSecretStore
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import Settings
from desktop_app.core.copilot.event_mapping import from_sdk
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.storage.conversation_store import ConversationStore
from desktop_app.core.storage.database import open_database
from desktop_app.core.storage.models import ConversationWithMessages, Role
from desktop_app.core.vocabulary.events import CallFailed, ChatEvent, Idle, SessionFailed, TextDelta, Usage
from desktop_app.core.vocabulary.notices import Phase
from desktop_app.core.vocabulary.targets import ChatTarget, Source
from desktop_app.core.vocabulary.usage.quota import PremiumQuota
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.window.chat_window import ChatWindow
from tests.qt.offline_window import store_of
from tests.unit.copilot.usage.sdk_data import event

DEC_1 = datetime(2026, 12, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 20, tzinfo=UTC)


def usage_window(
    qtbot: QtBot, tmp_path: Path, settings: Settings | None = None
) -> tuple[ChatWindow, CopilotService]:
    """A shown window with a store, on a service whose CLI never starts."""
    paths = AppPaths.under(tmp_path)
    service = CopilotService(paths)
    store = ConversationStore(open_database(paths.data_dir).connection)
    secrets = FileSecretStore(tmp_path / "key")
    window = ChatWindow(ChatController(service, settings or Settings(), secrets, store=store))
    qtbot.addWidget(window)
    window.show()
    return window, service


def ready(window: ChatWindow, service: CopilotService, quota: PremiumQuota | None = None) -> None:
    """The window is signed in and ready, and the keeper has read ``quota``."""
    keeper = service.usage
    keeper.now = lambda: NOW
    window.controller.phase_changed.emit(Phase.READY)
    if quota is not None:
        keeper.keep(quota)


def session_for(window: ChatWindow, service: CopilotService) -> ChatSession:
    """A session on the window's service, listened to as the session link would (no CLI behind it)."""
    controller = window.controller
    session = ChatSession(service, ChatTarget(Source.COPILOT))
    for listener in (controller.live, controller.usage):
        session.events.subscribe(listener)
    controller.bridge.attach(session.events)
    return session


def deliver(session: ChatSession, *events: ChatEvent) -> None:
    for chat_event in events:
        session._deliver(chat_event)  # where the SDK's events arrive on the app's loop


@pytest.mark.asyncio
async def test_the_gauge_shows_the_quota_once_ready(qtbot: QtBot, tmp_path: Path) -> None:
    window, service = usage_window(qtbot, tmp_path)
    gauge = window.status.usage_gauge
    service.usage.keep(PremiumQuota.of(300, 258))
    assert gauge.isHidden()  # not ready yet (starting, or signed out)
    ready(window, service, PremiumQuota.of(300, 258, reset=DEC_1))
    assert not gauge.isHidden() and gauge.text() == "Premium 86%"
    window.controller.phase_changed.emit(Phase.NEEDS_SIGN_IN)
    assert gauge.isHidden()


@pytest.mark.asyncio
@pytest.mark.parametrize("source", [Source.ENDPOINT, Source.DEMO])
async def test_hidden_when_answers_do_not_come_from_copilot(
    qtbot: QtBot, tmp_path: Path, source: Source
) -> None:
    window, service = usage_window(qtbot, tmp_path, settings=Settings(source=source))
    ready(window, service, PremiumQuota.of(300, 258))
    assert window.status.usage_gauge.isHidden()


@pytest.mark.asyncio
async def test_this_conversations_cost_from_the_store_and_the_replies(qtbot: QtBot, tmp_path: Path) -> None:
    window, service = usage_window(qtbot, tmp_path)
    store = store_of(window)
    saved = store.create_conversation(model="sonnet")
    store.add_message(saved.id, Role.USER, "hi")
    store.add_message(saved.id, Role.ASSISTANT, "hello", premium_cost=1.0)
    store.add_message(saved.id, Role.ASSISTANT, "again", premium_cost=0.33)
    ready(window, service, PremiumQuota.of(300, 10))
    controller = window.controller
    controller.conversation_opened.emit(ConversationWithMessages(saved, store.messages(saved.id)))
    assert controller.usage.state.conversation_cost == 1.33
    session = session_for(window, service)
    controller.live.begin_reply()
    deliver(session, TextDelta("m1", "Hi"), Usage("sonnet", 10, 3, 5.0, 1.0, cost=1.0), Idle(False))
    assert controller.usage.state.conversation_cost == 2.33
    assert "This conversation: 2.33 premium requests" in window.status.usage_gauge.toolTip()


@pytest.mark.asyncio
async def test_a_conversation_saved_without_costs_is_not_known(qtbot: QtBot, tmp_path: Path) -> None:
    window, service = usage_window(qtbot, tmp_path)
    store = store_of(window)
    old = store.create_conversation(model="sonnet")
    store.add_message(old.id, Role.ASSISTANT, "from before costs were kept")
    ready(window, service, PremiumQuota.of(300, 10))
    window.controller.conversation_opened.emit(ConversationWithMessages(old, store.messages(old.id)))
    assert window.controller.usage.state.conversation_cost is None
    window.controller.conversation_opened.emit(None)  # a new conversation has cost nothing
    assert window.controller.usage.state.conversation_cost == 0.0


@pytest.mark.asyncio
async def test_a_quota_refusal_says_when_it_resets_and_what_to_do(qtbot: QtBot, tmp_path: Path) -> None:
    window, service = usage_window(qtbot, tmp_path)
    ready(window, service, PremiumQuota.of(300, 300, reset=DEC_1))
    session = session_for(window, service)
    window.controller.live.begin_reply()
    refusal = event(
        "session.error",
        errorType="quota",
        message="You have exceeded your premium request allowance.",
        errorCode="quota_exceeded",
        statusCode=402,
    )
    mapped = from_sdk(refusal)
    assert mapped is not None
    deliver(session, mapped, Idle(False))
    banner = window.banner.label.text()
    assert banner.startswith(
        "Your premium requests for this period are used up (GitHub said: You have exceeded your "
        "premium request allowance.). They reset on Dec 1.\n"
    )
    assert "pick an included model (0×)" in banner and "https://github.com/settings/copilot" in banner
    assert window.banner.button_titles == ["Copilot settings", "Dismiss"]  # not a bare error
    assert "They reset on Dec 1." in window.view.toPlainText()  # the conversation says it too


@pytest.mark.asyncio
async def test_a_session_limit_is_said_too(qtbot: QtBot, tmp_path: Path) -> None:
    window, service = usage_window(qtbot, tmp_path)
    ready(window, service, PremiumQuota.of(300, 10))
    session = session_for(window, service)
    window.controller.live.begin_reply()
    limit = from_sdk(
        event("session_limits_exhausted.requested", maxAiCredits=50, requestId="r-1", usedAiCredits=50)
    )
    assert limit is not None
    deliver(session, limit)
    assert window.banner.label.text().startswith("This conversation reached its limit of 50 AI credits")
    assert "limit of 50 AI credits" in window.view.toPlainText()


@pytest.mark.asyncio
async def test_a_warning_once_per_level(qtbot: QtBot, tmp_path: Path) -> None:
    window, service = usage_window(qtbot, tmp_path)
    ready(window, service, PremiumQuota.of(300, 100, reset=DEC_1))
    assert window.banner.isHidden()
    keeper = service.usage
    keeper.keep(PremiumQuota.of(300, 241, reset=DEC_1))
    assert window.banner.label.text().startswith("You have used 80% of your premium requests")
    assert window.banner.button_titles == ["Copilot settings", "Dismiss"]
    window.banner.clear()
    keeper.keep(dataclasses.replace(keeper.current, used=250))  # type: ignore[arg-type]
    assert window.banner.isHidden()  # told already
    keeper.keep(PremiumQuota.of(300, 286, reset=DEC_1))
    assert window.banner.label.text().startswith("You have used 95% of your premium requests")


@pytest.mark.asyncio
@pytest.mark.parametrize("quota", [True, False])
async def test_a_failure_after_retries_stays_in_the_banner(qtbot: QtBot, tmp_path: Path, quota: bool) -> None:
    # The CLI retries a failed call first; the turn's end took the failure away with the retry notice.
    window, service = usage_window(qtbot, tmp_path)
    ready(window, service, PremiumQuota.of(300, 300, reset=DEC_1))
    session = session_for(window, service)
    window.controller.live.begin_reply()
    failure = (
        SessionFailed("No premium requests left", "quota", 402) if quota else SessionFailed("Broke", "x", 500)
    )
    deliver(session, CallFailed("HTTP 402", 0, 402))
    assert "Copilot is retrying" in window.banner.label.text()
    deliver(session, failure, Idle(False))
    assert not window.banner.isHidden()
    expected = "Your premium requests for this period are used up" if quota else "Broke"
    assert window.banner.label.text().startswith(expected)
