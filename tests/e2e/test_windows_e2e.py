"""Many windows on one CLI, and a client that survives its failures (the real CLI; a scripted model)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.app import DesktopApp
from desktop_app.core.copilot.service import ServiceState
from desktop_app.core.storage.models import Role
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_until
from tests.e2e.conftest import make_args, running_desktop
from tests.e2e.test_chat_e2e import ask, child_copilot_pids, endpoint_args, kill_cli, start_asking
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio


async def ready(window: ChatWindow) -> None:
    await wait_until(lambda: window.controller.phase.value == "ready", timeout=60)


async def test_three_windows_stream_at_once_each_with_its_own_text(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    model_server.chunk_delay = 0.004
    async with running_desktop(*endpoint_args(model_server, shared_data_dir)) as desktop:
        first = desktop.windows[0]
        second, third = desktop.open_window(), desktop.open_window()
        windows = [first, second, third]
        for window in windows:
            qtbot.addWidget(window)
            await ready(window)
        assert len(child_copilot_pids()) == 1  # one CLI process for every window
        tags = ["alpha", "bravo", "charlie"]
        finished = [
            await start_asking(qtbot, window, f"STREAM 300 TAG={tag}", 90)
            for window, tag in zip(windows, tags, strict=True)
        ]
        # All three are streaming at the same time.
        await wait_until(lambda: all(w.controller.busy for w in windows), timeout=30)
        await asyncio.gather(*finished)
        for window, tag in zip(windows, tags, strict=True):
            text = window.view.toPlainText()
            assert all(f"{tag}{i} " in text + " " for i in range(300)), tag
            for other in tags:
                if other != tag:
                    assert f"{other}0" not in text, f"{other} leaked into {tag}'s window"
        sessions = {w.controller.session.session_id for w in windows if w.controller.session}
        assert len(sessions) == 3


async def test_a_conversation_is_open_in_one_window_only(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    async with running_desktop(*endpoint_args(model_server, tmp_path)) as desktop:
        first = desktop.windows[0]
        qtbot.addWidget(first)
        await ask(qtbot, first, "Remember the blue door")
        conversation = first.controller.conversation
        assert conversation is not None
        # Ctrl+N: a new, empty window.
        first.new_window_action.trigger()
        assert len(desktop.windows) == 2
        second = desktop.windows[1]
        qtbot.addWidget(second)
        await ready(second)
        assert second.controller.conversation is None
        # Opening the first window's conversation from the second one goes to the first window.
        second.open_conversation(conversation.id)
        await asyncio.sleep(0.2)
        assert second.controller.conversation is None
        assert desktop.request_window(conversation.id) is first
        assert len(desktop.windows) == 2
        # The second window can chat on its own meanwhile.
        await ask(qtbot, second, "Something else")
        assert "blue door" not in second.view.toPlainText()


@pytest.mark.expected_warnings  # each crash is logged as a warning
async def test_the_cli_killed_three_times_comes_back_each_time_with_context(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_desktop(*endpoint_args(model_server, shared_data_dir)) as desktop:
        window = desktop.windows[0]
        qtbot.addWidget(window)
        service = desktop.service
        await ask(qtbot, window, "My name is Ada")
        for round_number in (1, 2, 3):
            finished = await start_asking(qtbot, window, "SLOW 400", 60)
            await wait_until(lambda: "w3 " in window.view.streamed_text, timeout=30)
            restarts = service.restarts
            kill_cli()
            await finished
            assert window.banner.isVisible()
            assert [b.text() for b in window.banner.findChildren(type(window.send_button))] == ["Regenerate"]
            # A new CLI starts within seconds without waiting for the next prompt, and the
            # session is resumed on it.
            await wait_until(lambda n=restarts: service.restarts == n + 1, timeout=20)
            await wait_until(lambda: service.state is ServiceState.READY, timeout=20)
            assert len(child_copilot_pids()) == 1, f"round {round_number}"
        await ask(qtbot, window, "ECHO_HISTORY")
        assert "History: My name is Ada" in window.view.toPlainText()
        # Each cut-off reply kept what had arrived.
        store = window.controller.store
        assert store is not None and window.controller.conversation is not None
        replies = [m for m in store.messages(window.controller.conversation.id) if m.role is Role.ASSISTANT]
        assert sum(1 for m in replies if m.content.startswith("w0 w1 w2 w3")) == 3


async def test_closing_a_window_mid_reply_keeps_what_arrived_and_the_others_go_on(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    async with running_desktop(*endpoint_args(model_server, tmp_path)) as desktop:
        first = desktop.windows[0]
        second = desktop.open_window()
        for window in (first, second):
            qtbot.addWidget(window)
            await ready(window)
        closing = await start_asking(qtbot, first, "SLOW 300 TAG=gone", 60)
        staying = await start_asking(qtbot, second, "SLOW 40 TAG=kept", 60)
        await wait_until(lambda: "gone3 " in first.view.streamed_text, timeout=30)
        conversation = first.controller.conversation
        assert conversation is not None
        first.close()
        await closing
        await staying
        assert "kept39" in second.view.toPlainText()
        store = second.controller.store
        assert store is not None
        await wait_until(
            lambda: any(
                m.role is Role.ASSISTANT and m.content.startswith("gone0 gone1 gone2 gone3")
                for m in store.messages(conversation.id)
            ),
            timeout=10,
        )


async def test_a_long_conversation_is_compacted_and_goes_on(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    args = [*endpoint_args(model_server, tmp_path), "--context-tokens", "3000"]
    async with running_desktop(*args) as desktop:
        window = desktop.windows[0]
        qtbot.addWidget(window)
        filler = " ".join(f"fact{i}" for i in range(220))
        meter: list[int] = []
        window.controller.bridge.context_usage.connect(lambda current, _limit: meter.append(current))
        compacted = False
        for turn in range(10):
            await ask(qtbot, window, f"Turn {turn}: remember {filler}", 90)
            if "Conversation compacted" in window.view.toPlainText():
                compacted = True
                break
        assert compacted, "no compaction after 10 long turns"
        text = window.view.toPlainText()
        assert "tokens removed" in text
        assert any(
            r["headers"].get("x-interaction-type") == "conversation-compaction"
            for r in model_server.chat_requests()
        )
        # The conversation goes on, and the marker is saved with it.
        await ask(qtbot, window, "ECHO_HISTORY")
        assert "History:" in window.view.toPlainText()
        store, conversation = window.controller.store, window.controller.conversation
        assert store is not None and conversation is not None
        notices = [m.content for m in store.messages(conversation.id) if m.role is Role.NOTICE]
        assert any("Conversation compacted" in n for n in notices)
        assert "Context" in window.status.context_label.text()
        peak = meter.index(max(meter))
        assert min(meter[peak:]) < max(meter) * 0.8  # the context meter dropped after compaction


@contextlib.asynccontextmanager
async def restored_desktop(*argv: str) -> AsyncIterator[DesktopApp]:
    """The app as it starts for real: the windows open when it last closed."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desktop = DesktopApp(app, make_args(*argv))
    desktop.open_windows()
    try:
        yield desktop
    finally:
        desktop.quit()
        await desktop.shutdown()


async def test_windows_come_back_after_quit_with_their_conversations_and_places(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    args = endpoint_args(model_server, tmp_path)
    async with running_desktop(*args) as desktop:
        first = desktop.windows[0]
        second = desktop.open_window()
        for window in (first, second):
            qtbot.addWidget(window)
            await ready(window)
        await ask(qtbot, first, "First window topic")
        await ask(qtbot, second, "Second window topic")
        first.setGeometry(40, 50, 900, 700)
        second.setGeometry(300, 120, 1000, 640)
        second.panel_action.trigger()  # the user shows the second window's tool panel
        assert second.panel_action.isChecked()
        ids = [w.controller.conversation.id for w in (first, second) if w.controller.conversation]
        assert len(ids) == 2
        desktop.quit()  # Ctrl+Q: every window closes and is remembered
        assert desktop.windows == []

    async with restored_desktop(*args) as desktop:
        windows = desktop.windows
        for window in windows:
            qtbot.addWidget(window)
        await wait_until(lambda: all(w.controller.conversation is not None for w in windows), timeout=30)
        assert [w.controller.conversation.id for w in windows if w.controller.conversation] == ids
        assert (windows[0].geometry().width(), windows[1].geometry().width()) == (900, 1000)
        assert "First window topic" in windows[0].view.toPlainText()
        assert windows[1].panel_action.isChecked() and not windows[0].panel_action.isChecked()
        await ready(windows[1])
        await wait_until(lambda: windows[1].controller.session is not None, timeout=30)  # resumed
        await ask(qtbot, windows[1], "ECHO_HISTORY")
        assert "History: Second window topic" in windows[1].view.toPlainText()


def launch(data_dir: Path, server: ModelServer, capture: bool = False) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "desktop_app", *endpoint_args(server, data_dir)]
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, text=True)


async def test_a_second_launch_opens_a_window_in_the_running_app(
    model_server: ModelServer, tmp_path: Path
) -> None:
    log_file = tmp_path / "logs" / "copilot-desktop.log"
    first = launch(tmp_path, model_server)
    try:
        await wait_until(lambda: log_file.exists() and "startup: window shown" in log_file.read_text(), 60)
        second = launch(tmp_path, model_server, capture=True)
        output, _ = await asyncio.to_thread(second.communicate, timeout=60)
        assert second.returncode == 0
        assert "already running: it opened a new window" in output
        await wait_until(lambda: "Another launch asked for a window" in log_file.read_text(), 20)
        assert first.poll() is None  # the first copy runs on, now with two windows
    finally:
        first.send_signal(signal.SIGTERM)
        await asyncio.to_thread(first.wait, 60)
    assert first.returncode == 0
    # Both windows were open at SIGTERM: both come back next time.
    from desktop_app.core.config.window_state import load_windows

    states, problem = load_windows(tmp_path / "config")
    assert problem is None and len(states) == 2


async def test_a_long_reply_in_a_window_out_of_sight_is_notified(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_desktop(*endpoint_args(model_server, shared_data_dir)) as desktop:
        window = desktop.windows[0]
        qtbot.addWidget(window)
        window.isActiveWindow = lambda: False  # type: ignore[method-assign]  # the user looks elsewhere
        brought: list[bool] = []
        window.bring_to_front = lambda: brought.append(True)  # type: ignore[method-assign]
        await ask(qtbot, window, "SLOW 75")  # 4.5 s
        assert window.notifier is not None
        assert window.notifier.sent[-1][0] == "Copilot has replied"
        window.notifier.clicked()  # clicking the notification brings that window forward
        assert brought == [True]
