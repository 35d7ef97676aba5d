"""What start-up leaves out is not imported with the app, and is imported once the window shows."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from desktop_app.app import DEFERRED_IMPORTS, import_deferred


def test_importing_the_app_leaves_the_deferred_modules_out() -> None:
    code = (
        f"import sys, desktop_app.app\nprint(','.join(n for n in {DEFERRED_IMPORTS!r} if n in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_import_deferred_imports_each_of_them(monkeypatch: pytest.MonkeyPatch) -> None:
    imported: list[str] = []
    real = importlib.import_module
    monkeypatch.setattr(importlib, "import_module", lambda name: imported.append(name) or real(name))
    import_deferred()
    assert imported == list(DEFERRED_IMPORTS)
    assert all(name in sys.modules for name in DEFERRED_IMPORTS)
