"""PySide6's ``__feature__`` import hook is dropped for Python's own import; another hook is kept."""

from __future__ import annotations

import builtins
import importlib
import sys
from typing import Any

import pytest

from desktop_app.ui.platform.feature_hook import drop_feature_import_hook


def test_the_pyside_hook_gives_way_to_the_plain_import(monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(builtins, "__feature_import__"):
        pytest.skip("this PySide6 installs no import hook")
    monkeypatch.setattr(builtins, "__import__", builtins.__feature_import__)
    assert drop_feature_import_hook()
    assert builtins.__import__ is builtins.__orig_import__
    sys.modules.pop("colorsys", None)
    import colorsys  # an import statement still imports

    assert colorsys.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
    assert not drop_feature_import_hook()  # once is enough


def test_another_librarys_hook_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = builtins.__import__

    def other_hook(name: str, *args: Any, **kwargs: Any) -> Any:
        return plain(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", other_hook)
    assert not drop_feature_import_hook()
    assert builtins.__import__ is other_hook
    assert importlib.import_module("json").dumps([1]) == "[1]"
