"""The About dialog: shows every version a bug report needs, and Copy puts them on the clipboard."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop_app import APP_NAME, __version__
from desktop_app.ui.window.about_dialog import AboutDialog


def _shown_text(dialog: AboutDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def test_shows_the_versions_and_the_data_folder(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = AboutDialog(tmp_path / "data", cli_version="1.0.102")
    qtbot.addWidget(dialog)
    dialog.open()  # returns at once: the caller's event loop keeps running
    qtbot.waitExposed(dialog)
    assert dialog.isVisible()
    text = _shown_text(dialog)
    for expected in (
        APP_NAME,
        __version__,
        metadata.version("github-copilot-sdk"),
        "1.0.102",
        platform.python_version(),
        qVersion(),
        PySide6.__version__,
        str(tmp_path / "data"),
    ):
        assert expected in text
    assert not dialog.icon_label.pixmap().isNull()
    assert dialog.copy_button.accessibleName() == "Copy version info"
    assert dialog.value_labels["Copilot CLI"].accessibleName() == "Copilot CLI"


def test_copy_puts_the_version_info_on_the_clipboard(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = AboutDialog(tmp_path, cli_version="1.0.102")
    qtbot.addWidget(dialog)
    dialog.open()
    QGuiApplication.clipboard().clear()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == dialog.version_info()
    lines = copied.splitlines()
    assert lines[0] == f"Copilot Desktop: {__version__}"
    assert f"github-copilot-sdk: {metadata.version('github-copilot-sdk')}" in lines
    assert "Copilot CLI: 1.0.102" in lines
    assert f"Data folder: {tmp_path}" in lines
    assert any(line.startswith("Python: ") and platform.python_version() in line for line in lines)
    assert any(line.startswith("Qt: ") and PySide6.__version__ in line for line in lines)
    assert dialog.copy_button.text() == "Copied"


def test_unknown_cli_and_missing_sdk_say_unknown(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)  # the module about_dialog asks
    dialog = AboutDialog(tmp_path, cli_version=None)
    qtbot.addWidget(dialog)
    assert dialog.value_labels["Copilot CLI"].text() == "unknown"
    assert dialog.value_labels["github-copilot-sdk"].text() == "unknown"
