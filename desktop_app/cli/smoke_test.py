"""``copilot-desktop --smoke-test``: does this build work on this machine? Exit 0, or 1 with the reason.

It runs what a user's first minute runs: a chat window opens, a markdown sample renders, the Copilot
CLI this build finds (the bundled one in a packaged build) starts, and the built-in scripted model
answers a prompt through it. Everything is written under a throw-away data folder; nothing is
downloaded. Made for CI and for support ("run this and send me what it prints").
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

SAMPLE = """\
# Smoke test

Some **bold** text, a list and a table:

- one
- two

| a | b |
|---|---|
| 1 | 2 |

```python
def answer() -> int:
    return 42
```
"""
PROMPT = "Say hello for the smoke test"
TIMEOUT_S = 120


class SmokeTestError(RuntimeError):
    """A check failed; the message says which and why."""


def say(line: str) -> None:
    print(f"smoke test: {line}", flush=True)


async def run_checks(app: QApplication, data_dir: Path) -> None:
    from desktop_app.app import DesktopApp
    from desktop_app.cli.command_line import build_parser
    from desktop_app.core.platform.process_info import seconds_since_start
    from desktop_app.core.storage.models import Message, Role

    args = build_parser().parse_args(["--demo", "--data-dir", str(data_dir), "--log-level", "WARNING"])
    args.log_console = False
    started = time.monotonic()
    desktop = DesktopApp(app, args)
    window = desktop.open_window()
    try:
        await asyncio.sleep(0.05)  # shown and painted (never processEvents() inside a coroutine)
        since_start = seconds_since_start()
        after = f", {since_start * 1000:.0f} ms after the process started" if since_start is not None else ""
        say(f"window opened in {(time.monotonic() - started) * 1000:.0f} ms{after}")
        window.view.show_messages([Message("sample", "c", 1, Role.ASSISTANT, SAMPLE, 0.0, 0.0)])
        text = window.view.toPlainText()
        for expected in ("Smoke test", "bold", "def answer() -> int:", "one"):
            if expected not in text:
                raise SmokeTestError(f"the markdown sample did not render ({expected!r} is missing)")
        if "**" in text or "```" in text:
            raise SmokeTestError("the markdown sample rendered as raw markdown")
        say("markdown rendered (heading, list, table, highlighted code)")
        await _wait(lambda: window.controller.phase.value != "starting", "the Copilot CLI to start")
        service = desktop.service
        if window.controller.phase.value != "ready":
            raise SmokeTestError(
                f"the Copilot CLI did not start: {service.error or window.banner.label.text()}"
            )
        cli = service.cli
        say(f"Copilot CLI started: {cli.path if cli else '?'} ({cli.origin if cli else '?'})")
        window.view.clear_conversation()
        finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def done() -> None:
            if not finished.done():
                finished.set_result(None)

        window.controller.reply_finished.connect(done)
        asked = time.monotonic()
        if not window.controller.send(PROMPT):
            raise SmokeTestError("the window would not send a prompt")
        try:
            await asyncio.wait_for(finished, TIMEOUT_S)
        except TimeoutError:
            raise SmokeTestError(f"no reply from the scripted model within {TIMEOUT_S} s") from None
        reply = window.view.toPlainText()
        if "scripted" not in reply.lower():
            raise SmokeTestError(f"unexpected reply: {reply[-300:]!r}")
        say(f"the scripted model answered through the CLI in {time.monotonic() - asked:.1f} s")
        url = window.live_share.start()
        try:
            status = await asyncio.to_thread(_fetch_status, url)
        finally:
            window.live_share.stop()
        if status != 200:
            raise SmokeTestError(f"the live-share page answered HTTP {status}")
        say("live share served its page")
        from desktop_notifier.main import get_backend_class

        say(f"notifications: {get_backend_class().__name__} loads")
    finally:
        window.close()
        await desktop.shutdown()


def _fetch_status(url: str) -> int:
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:
        return int(response.status)


async def _wait(condition: object, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SmokeTestError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def _quiet_qt(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own chatter is not a result; real warnings still go to standard error."""
    if "propagateSizeHints" not in message and mode != QtMsgType.QtDebugMsg:
        print(f"qt: {message}", file=sys.stderr)


def run() -> int:
    from desktop_app.app import event_loop_runner

    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # CI machines and servers have no screen
    qInstallMessageHandler(_quiet_qt)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="copilot-desktop-smoke-") as data_dir:
        try:
            with event_loop_runner() as runner:
                runner.run(run_checks(app, Path(data_dir)))
        except SmokeTestError as exc:
            print(f"smoke test FAILED: {exc}", file=sys.stderr, flush=True)
            return 1
        except Exception as exc:  # anything else is a failure too, with its type
            print(f"smoke test FAILED: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            return 1
    say(f"passed in {time.monotonic() - started:.1f} s")
    return 0
