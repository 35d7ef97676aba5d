"""A heavy module imported from the loop is imported on a worker thread, once."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from desktop_app.core.platform import background_import

pytestmark = pytest.mark.asyncio


async def test_a_module_is_imported_off_the_loops_thread_and_then_taken_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "heavy_probe_module.py").write_text(
        "import threading\nIMPORTED_ON = threading.current_thread().name\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "heavy_probe_module", raising=False)
    module = await background_import.import_module("heavy_probe_module")
    assert threading.current_thread().name != module.IMPORTED_ON
    assert sys.modules["heavy_probe_module"] is module
    assert await background_import.import_module("heavy_probe_module") is module  # no thread now
    sys.modules.pop("heavy_probe_module")


async def test_a_missing_module_raises_as_an_import_would() -> None:
    with pytest.raises(ModuleNotFoundError):
        await background_import.import_module("no_such_module_anywhere_42")
