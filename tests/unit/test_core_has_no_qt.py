"""The core is usable without Qt: importing all of it loads neither PySide6 nor qasync."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import pkgutil, importlib, sys, desktop_app.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'desktop_app.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'qasync'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
