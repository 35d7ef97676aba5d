"""A person's view of the foundation: type, watch the reply stream in, stop it, survive failures.

These drive the real Copilot CLI through the real SDK; only the model is scripted.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.core.copilot.session_options import CHAT_SYSTEM_MESSAGE
from desktop_app.ui.window.chat_window import ChatWindow
from tests.conftest import wait_signal, wait_until
from tests.e2e.conftest import running_app
from tests.model_server import MODEL, ModelServer

pytestmark = pytest.mark.asyncio
PINNED_CLI = json.loads((Path(__file__).resolve().parents[2] / "package.json").read_text())["dependencies"][
    "@github/copilot"
]


def endpoint_args(server: ModelServer, data_dir: Path) -> list[str]:
    return ["--data-dir", str(data_dir), "--provider-url", server.base_url, "--model", MODEL]


async def start_asking(
    qtbot: QtBot, window: ChatWindow, prompt: str, timeout: float = 60
) -> asyncio.Future[tuple[object, ...]]:
    """Type the prompt and press Enter; the future resolves when the reply is over."""
    finished = asyncio.ensure_future(wait_signal(window.controller.reply_finished, timeout))
    await asyncio.sleep(0)
    qtbot.keyClicks(window.composer, prompt)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    return finished


async def ask(qtbot: QtBot, window: ChatWindow, prompt: str, timeout: float = 60) -> None:
    """Type the prompt, press Enter, and wait for the reply to finish."""
    await (await start_asking(qtbot, window, prompt, timeout))


def child_copilot_pids() -> list[int]:
    """PIDs of Copilot CLI processes started by this test process."""
    pids = []
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == me and b"copilot" in cmdline:
            pids.append(int(entry.name))
    return pids


def kill_cli() -> None:
    """SIGKILL the app's Copilot CLI, as a crash would."""
    pids = child_copilot_pids()
    assert pids, "the CLI runs as a child of the app"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)


async def test_reply_streams_into_the_window(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        assert window.controller.phase.value == "ready"
        assert window.focusWidget() is window.composer
        await wait_until(lambda: window.model_picker.count() == 2)
        assert {window.model_picker.itemText(i) for i in range(2)} == {MODEL, "other-model"}
        assert window.model_picker.currentText() == MODEL
        renders: list[int] = []
        window.view.streaming_rendered.connect(renders.append)
        await ask(qtbot, window, "MARKDOWN please")
        text = window.view.toPlainText()
        assert "MARKDOWN please" in text
        assert "Scripted heading" in text
        assert "def answer() -> int:" in text
        assert "```" not in text and "**" not in text
        assert renders, "the reply was rendered while it streamed"
        # A screen reader hears that the reply started and ended, not every token.
        assert window.announcements == ["Copilot is replying", "Copilot's reply is complete"]
        # Chat mode: our system message, the app's own safe tools and ask_user offered to the model.
        body = model_server.chat_requests()[-1]["body"]
        assert sorted(t["function"]["name"] for t in body["tools"]) == [
            "ask_user",
            "calculate",
            "current_time",
        ]
        assert body["messages"][0] == {"role": "system", "content": CHAT_SYSTEM_MESSAGE}
        assert window.send_button.text() == "Send"


async def test_metrics_are_right_for_a_known_stream(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "STREAM 40")
        snapshot = window.controller.metrics.snapshot()
        assert snapshot.output_tokens == 40 and snapshot.tokens_from_usage
        assert snapshot.time_to_first_token is not None and snapshot.time_to_first_token > 0
        assert snapshot.elapsed >= snapshot.time_to_first_token
        assert snapshot.model == MODEL
        assert not snapshot.running
        label = window.status.metrics_label.text()
        assert label.startswith("40 tokens ·") and MODEL in label

        await ask(qtbot, window, "STREAM 25 NOUSAGE")
        snapshot = window.controller.metrics.snapshot()
        assert snapshot.output_tokens == 25 and not snapshot.tokens_from_usage
        assert "25 tokens (counted)" in window.status.metrics_label.text()


async def test_escape_stops_a_reply_and_the_window_takes_the_next_prompt(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        finished = await start_asking(qtbot, window, "SLOW 400", 30)
        await wait_until(lambda: "w5 " in window.view.streamed_text, timeout=30)
        assert window.send_button.text() == "Stop"
        qtbot.keyClick(window.composer, Qt.Key.Key_Escape)
        await finished
        text = window.view.toPlainText()
        assert "Stopped." in text
        assert "w399" not in text
        await ask(qtbot, window, "hello again")
        assert "You said: hello again" in window.view.toPlainText()


@pytest.mark.expected_warnings
async def test_endpoint_down_shows_the_failure_at_once(qtbot: QtBot, shared_data_dir: Path) -> None:
    dead = "http://127.0.0.1:9/v1"  # the discard port: nothing listens there
    args = ["--data-dir", str(shared_data_dir), "--provider-url", dead, "--model", "m"]
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        loop = asyncio.get_running_loop()
        started = loop.time()
        finished = await start_asking(qtbot, window, "anyone there?", 60)
        await wait_until(lambda: "Stop" in window.banner.button_titles, timeout=20)
        shown_after = loop.time() - started
        assert shown_after < 15, "the first failure is shown long before the CLI gives up (~23 s)"
        assert "failed" in window.banner.label.text()
        assert "Connection refused" in window.banner.label.text() or "connect" in window.banner.label.text()
        assert (
            "retrying (1/5)" in window.banner.label.text() or "retrying (2/5)" in window.banner.label.text()
        )
        give_up = window.banner.button("Stop")
        assert give_up is not None
        qtbot.mouseClick(give_up, Qt.MouseButton.LeftButton)
        await finished
        assert window.send_button.text() == "Send"
        assert "Stopped." in window.view.toPlainText()


@pytest.mark.expected_warnings
async def test_http_500_reports_the_error_when_retries_run_out(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        retry_seen = asyncio.ensure_future(wait_signal(window.controller.bridge.call_failed, 20))
        await ask(qtbot, window, "FAIL500", timeout=90)
        message, _attempt, status = await retry_seen
        assert status == 500 and "scripted failure" in message
        text = window.view.toPlainText()
        assert "retried" in text or "500" in text
        await ask(qtbot, window, "fine now?")
        assert "You said: fine now?" in window.view.toPlainText()


@pytest.mark.expected_warnings
async def test_cli_dying_mid_stream_is_reported_and_recovered(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "My name is Ada")
        finished = await start_asking(qtbot, window, "SLOW 400", 30)
        await wait_until(lambda: "w3 " in window.view.streamed_text, timeout=30)
        kill_cli()
        await finished
        assert "stopped unexpectedly" in window.view.toPlainText()
        # The next prompt restarts the CLI and resumes the same session: the model sees the history.
        await ask(qtbot, window, "ECHO_HISTORY")
        assert "History: My name is Ada" in window.view.toPlainText()
        assert window.controller.phase.value == "ready"


async def test_demo_mode_answers_from_the_scripted_model(qtbot: QtBot, shared_data_dir: Path) -> None:
    async with running_app("--demo", "--data-dir", str(shared_data_dir)) as window:
        qtbot.addWidget(window)
        assert "demo" in window.source_badge.text().lower()
        await ask(qtbot, window, "show me a table")
        text = window.view.toPlainText()
        assert "Comparison" in text and "Copilot Desktop" in text


async def test_without_sign_in_the_window_says_how_to_fix_it(qtbot: QtBot, shared_data_dir: Path) -> None:
    async with running_app("--data-dir", str(shared_data_dir)) as window:
        qtbot.addWidget(window)
        assert window.controller.phase.value == "needs_sign_in"
        assert window.banner.label.text().startswith("You are not signed in to GitHub.")
        assert f"COPILOT_HOME={shared_data_dir / 'copilot-home'}" in window.controller.login_command()
        assert window.banner.button_titles == [
            "Sign in with GitHub",
            "Re-check",
            "Use a model endpoint…",
            "Try the demo",
        ]
        assert window.account_button.text() == "Not signed in"
        assert not window.send_button.isEnabled()
        # The demo is one click away, and it really answers (the CLI restarts with the scripted model).
        demo = window.banner.button("Try the demo")
        assert demo is not None
        qtbot.mouseClick(demo, Qt.MouseButton.LeftButton)
        await wait_until(lambda: window.controller.phase.value == "ready", timeout=60)
        assert window.send_button.isEnabled()
        await ask(qtbot, window, "hello demo")
        assert "scripted demo model" in window.view.toPlainText()


@pytest.mark.expected_warnings
async def test_missing_cli_is_explained(qtbot: QtBot, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-copilot"
    async with running_app("--data-dir", str(tmp_path), "--cli-path", str(missing)) as window:
        qtbot.addWidget(window)
        assert window.controller.phase.value == "failed"
        assert str(missing) in window.banner.label.text()
        assert "Retry" in window.banner.button_titles


async def test_data_dir_holds_everything(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "hello")
    assert (shared_data_dir / "cli-home" / ".cache" / "copilot").is_dir()
    assert (shared_data_dir / "copilot-home" / "session-state").is_dir()
    assert (shared_data_dir / "logs" / "copilot-desktop.log").is_file()


async def test_api_key_from_env_reaches_the_endpoint_and_is_never_written(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "sk-test-0123456789-do-not-log"
    monkeypatch.setenv("MY_ENDPOINT_KEY", secret)
    args = [*endpoint_args(model_server, shared_data_dir), "--api-key-env", "MY_ENDPOINT_KEY"]
    async with running_app(*args) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "hello with a key")
    headers = model_server.chat_requests()[-1]["headers"]
    assert headers.get("authorization") == f"Bearer {secret}"
    for path in (shared_data_dir / "logs").rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="replace"), path
    for path in (shared_data_dir / "config").rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="replace"), path


async def test_a_huge_paste_is_sent_whole(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        paste = "SHORT " + "lorem ipsum dolor " * 12_000  # ~216 KB
        finished = asyncio.ensure_future(wait_signal(window.controller.reply_finished, 120))
        await asyncio.sleep(0)
        window.composer.setPlainText(paste)
        qtbot.keyClick(window.composer, Qt.Key.Key_Return)
        await finished
        sent = model_server.chat_requests()[-1]["body"]["messages"][-1]["content"]
        assert sent.endswith(paste.rstrip())
        assert window.composer.toPlainText() == ""
        assert window.view.toPlainText().count("lorem ipsum dolor") == 12_000  # the prompt, whole
        assert f"Received {len(paste.rstrip())} characters." in window.view.toPlainText()


async def test_reasoning_is_shown_before_the_reply(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "REASON about it")
        # Folded above the answer once the answer starts; a click shows it again.
        text = window.view.toPlainText()
        assert text.index("Thinking (6 words)") < text.index("You said: REASON about it")
        window.view.toggle_reasoning(window.view.rows[-1].key)
        assert "Thinking: Let me think about this carefully." in window.view.toPlainText()


async def test_a_hanging_reply_can_be_stopped(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        finished = await start_asking(qtbot, window, "HANG", 30)
        await wait_until(lambda: "Starting to answer" in window.view.streamed_text, timeout=30)
        qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)  # the button reads "Stop"
        await finished
        assert "Stopped." in window.view.toPlainText()


async def test_a_reply_that_goes_silent_is_stopped_after_the_timeout(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text(json.dumps({"reply_timeout_s": 5}))
    async with running_app(*endpoint_args(model_server, tmp_path)) as window:
        qtbot.addWidget(window)
        assert window.controller.settings.reply_timeout_s == 5
        loop = asyncio.get_running_loop()
        started = loop.time()
        await ask(qtbot, window, "HANG", 60)
        assert 4 < loop.time() - started < 30
        assert "No reply from the model for 5 seconds" in window.banner.label.text()
        assert "Regenerate" in window.banner.button_titles
        assert "Starting to answer" in window.view.toPlainText()  # what arrived is kept


async def test_a_model_asking_for_a_shell_gets_nothing_run(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "should-not-exist"
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, f'TOOL bash {{"command": "touch {target}", "description": "x"}}')
        assert not target.exists()
        # The model was told the tool is not available, and the turn finished normally.
        last = model_server.chat_requests()[-1]["body"]["messages"][-1]
        assert last["role"] == "tool"
        assert "TOOL_RESULT" in window.view.toPlainText()


async def test_picking_another_model_sends_to_it(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        await ask(qtbot, window, "first")
        assert model_server.chat_requests()[-1]["body"]["model"] == MODEL
        await wait_until(lambda: window.model_picker.findText("other-model") >= 0)
        window.model_picker.setCurrentIndex(window.model_picker.findText("other-model"))
        window.model_picker.activated.emit(window.model_picker.currentIndex())
        await wait_until(lambda: window.controller.settings.endpoint_model == "other-model")
        await wait_until(lambda: not window.controller.working, timeout=20)
        await ask(qtbot, window, "ECHO_HISTORY")
        body = model_server.chat_requests()[-1]["body"]
        assert body["model"] == "other-model"
        assert "History: first" in window.view.toPlainText()  # same conversation, new model
        assert window.status.metrics_label.text().endswith("other-model")
        saved = json.loads((shared_data_dir / "config" / "settings.json").read_text())
        assert saved["endpoint_model"] == "other-model"  # the choice is remembered


@pytest.mark.expected_warnings
async def test_a_cli_that_exits_at_start_is_explained(qtbot: QtBot, tmp_path: Path) -> None:
    fake = tmp_path / "copilot"
    fake.write_text("#!/bin/sh\necho 'fatal: scripted start-up failure' >&2\nexit 3\n")
    fake.chmod(0o755)
    async with running_app("--data-dir", str(tmp_path), "--cli-path", str(fake)) as window:
        qtbot.addWidget(window)
        assert window.controller.phase.value == "failed"
        text = window.banner.label.text()
        assert "Could not start the Copilot CLI" in text
        assert "exited" in text or "scripted start-up failure" in text
        assert window.banner.button_titles == ["Retry", "Settings…"]


async def test_about_names_the_running_cli_and_sdk_versions(
    qtbot: QtBot, model_server: ModelServer, shared_data_dir: Path
) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.window.about_dialog import AboutDialog

    version = PINNED_CLI
    async with running_app(*endpoint_args(model_server, shared_data_dir)) as window:
        qtbot.addWidget(window)
        assert window.controller.cli_version == version
        window.open_about()
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible()]
        assert len(dialogs) == 1
        rows = dict(dialogs[0].rows)
        assert version in str(rows) and "1.0.25" in str(rows)
        dialogs[0].close()
