"""``copilot-desktop --smoke-test`` (CI runs it on the frozen bundle too; here from source)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def smoke(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "--smoke-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=170,
    )


def test_the_smoke_test_passes_and_says_what_it_checked(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # it chooses offscreen itself when there is no screen
    result = smoke(env)
    assert result.returncode == 0, result.stderr
    for line in ("markdown rendered", "Copilot CLI started", "scripted model answered", "passed in"):
        assert line in result.stdout


def test_the_smoke_test_fails_with_the_reason(tmp_path: Path) -> None:
    broken = tmp_path / "copilot"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "COPILOT_CLI_PATH": str(broken),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = smoke(env)
    assert result.returncode == 1
    assert "smoke test FAILED: the Copilot CLI did not start" in result.stderr
