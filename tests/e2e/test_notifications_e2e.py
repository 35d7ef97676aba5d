"""Notifications without a system tray: over D-Bus to a notification server, as on GNOME.

A private session bus and a scripted ``org.freedesktop.Notifications`` server
(``fake_notifications.py``, Debian's Python with python3-gi) stand in for the desktop.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import wait_until
from tests.e2e.conftest import running_desktop
from tests.e2e.test_chat_e2e import ask, endpoint_args
from tests.model_server import ModelServer

pytestmark = pytest.mark.asyncio

SYSTEM_PYTHON = "/usr/bin/python3"
SERVER = Path(__file__).with_name("fake_notifications.py")


def _missing() -> str | None:
    if shutil.which("dbus-daemon") is None:
        return "dbus-daemon"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "from gi.repository import Gio"], capture_output=True)
    return "python3-gi" if probe.returncode else None


@pytest.fixture
def notification_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[subprocess.Popen[str]]:
    missing = _missing()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing: make setup installs it")
        pytest.skip(f"{missing} is missing (make setup installs it)")
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    server = subprocess.Popen(
        [SYSTEM_PYTHON, str(SERVER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": address},
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        yield server
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=10)
        bus.terminate()
        bus.wait(timeout=10)
        for pipe in (server.stdout, bus.stdout):
            if pipe is not None:
                pipe.close()


async def _next_notification(server: subprocess.Popen[str]) -> dict[str, Any]:
    assert server.stdout is not None
    line = await asyncio.wait_for(asyncio.to_thread(server.stdout.readline), 30)
    data: dict[str, Any] = json.loads(line)
    return data


async def test_a_reply_out_of_sight_is_notified_over_d_bus_and_a_click_brings_its_window(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path, notification_server: subprocess.Popen[str]
) -> None:
    async with running_desktop(*endpoint_args(model_server, tmp_path)) as desktop:
        window = desktop.windows[0]
        qtbot.addWidget(window)
        assert not desktop.notifier.has_tray  # offscreen: no tray, as on GNOME
        window.isActiveWindow = lambda: False  # type: ignore[method-assign]  # the user looks elsewhere
        brought: list[bool] = []
        window.bring_to_front = lambda: brought.append(True)  # type: ignore[method-assign]
        await ask(qtbot, window, "SLOW 75")  # 4.5 s: long enough to be worth a notification
        shown = await _next_notification(notification_server)
        assert shown["app"] == "Copilot Desktop" and shown["summary"] == "Copilot has replied"
        assert shown["body"] and "default" in shown["actions"]  # clickable
        assert shown["icon"].endswith("copilot-desktop-128.png")
        await wait_until(lambda: desktop.notifier.via == ["system"])
        assert brought == []
        assert notification_server.stdin is not None
        notification_server.stdin.write(f"click {shown['id']}\n")
        notification_server.stdin.flush()
        await wait_until(lambda: brought == [True])


async def test_without_a_notification_server_it_falls_back_once_and_quietly(
    qtbot: QtBot, model_server: ModelServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    async with running_desktop(*endpoint_args(model_server, tmp_path)) as desktop:
        window = desktop.windows[0]
        qtbot.addWidget(window)
        window.isActiveWindow = lambda: False  # type: ignore[method-assign]
        await ask(qtbot, window, "SLOW 75")
        await wait_until(lambda: desktop.notifier.via == ["alert"])  # no tray either: taskbar only
        system = desktop.notifier.system
        assert system is not None and not system.available  # not tried again this run
        await ask(qtbot, window, "SLOW 75")
        await wait_until(lambda: desktop.notifier.via == ["alert", "alert"])
