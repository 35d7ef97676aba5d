"""What a screen reader gets: the real app on Xvfb, read and driven through AT-SPI (what Orca uses).

``screen_reader.py`` runs under Debian's Python (pyatspi) inside its own D-Bus session with the
AT-SPI bus, launches the app against the scripted model, types a prompt into the "Message" field
and presses "Send or stop" through the accessibility interfaces alone, and reports what it read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_chat_e2e import endpoint_args
from tests.model_server import ModelServer

SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
READER = Path(__file__).with_name("screen_reader.py")


def _missing() -> str | None:
    for tool in ("Xvfb", "dbus-run-session"):
        if shutil.which(tool) is None:
            return tool
    if not os.path.exists(BUS_LAUNCHER):
        return "at-spi2-core"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    return "python3-pyatspi" if probe.returncode else None


@pytest.fixture
def display() -> Iterator[str]:
    missing = _missing()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing: make setup installs it")
        pytest.skip(f"{missing} is missing (make setup installs it)")
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x860x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        number = numbers.readline().strip()
    try:
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def test_a_screen_reader_can_drive_a_chat_and_hears_start_and_end(
    display: str, model_server: ModelServer, tmp_path: Path
) -> None:
    prompt = "MARKDOWN <script>alert(1)</script> please"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS")}
    env["DISPLAY"] = display
    app = [sys.executable, "-m", "desktop_app", *endpoint_args(model_server, tmp_path / "data")]
    reader = [SYSTEM_PYTHON, str(READER), "--prompt", prompt, "--expect", "Done."]
    result = subprocess.run(
        ["dbus-run-session", "--", *reader, "--", *app],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    # Every control the reader meets has a name; combo boxes are named by their labels.
    assert report["unnamed"] == []
    assert report["unlabelled_combos"] == []
    assert {"text:Message", "push button:Send or stop", "list:Conversations"} <= set(report["roles"])
    # It typed and sent through the accessibility interfaces alone.
    assert report["typed"] == prompt
    # It can read the whole exchange: the prompt as plain text, and the rendered reply.
    read = report["conversation"]
    assert prompt in read
    for words in ("Scripted heading", "Some bold text and inline code.", "return 42", "Done."):
        assert words in read
    assert read.index(prompt) < read.index("Scripted heading")
    # A reply is announced when it starts and when it completes, never token by token.
    assert report["announcements"] == ["Copilot is replying", "Copilot's reply is complete"]
