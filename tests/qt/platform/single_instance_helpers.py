"""Shared by the single-instance tests: a client in a child process, and where a socket's file is.

``hand_over`` blocks, and the server answers from this thread's event loop, so every client that talks
to a server here runs in a child process while ``qtbot`` pumps the events.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDir
from pytestqt.qtbot import QtBot

ROOT = Path(__file__).resolve().parents[3]


def run_python(qtbot: QtBot, code: str, *args: str, timeout_ms: int = 30_000) -> tuple[str, str]:
    """Run ``code`` in a child Python while this thread's event loop keeps serving; (stdout, stderr)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=timeout_ms)
    finally:
        if proc.poll() is None:
            proc.kill()
        out, err = proc.communicate()
    assert proc.returncode == 0, err
    return out, err


HAND_OVER = """
    import json, sys
    from desktop_app.ui.platform.single_instance import hand_over
    for message in json.loads(sys.argv[2]):
        print(hand_over(sys.argv[1], message))
"""


def hand_over_from_child(qtbot: QtBot, name: str, *messages: dict[str, Any]) -> list[str]:
    out, err = run_python(qtbot, HAND_OVER, name, json.dumps(messages))
    assert err == ""  # no Qt warnings in the client either
    return out.split()


def socket_file(name: str) -> Path:
    """The file behind the socket ``name`` (Qt puts a bare name in its temp folder)."""
    return Path(QDir.tempPath(), name)


unix_only = pytest.mark.skipif(sys.platform == "win32", reason="a named pipe is not a file")
