"""The Settings dialog: choose where answers come from, store the key safely, refuse bad input."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop_app.core.config.credentials import FileSecretStore
from desktop_app.core.config.paths import AppPaths
from desktop_app.core.config.settings import Settings, Source
from desktop_app.core.copilot.service import CopilotService
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.settings.settings_dialog import SettingsDialog


@pytest.fixture
def service(tmp_path: Path) -> CopilotService:
    return CopilotService(AppPaths.under(tmp_path))


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path, service: CopilotService) -> SettingsDialog:
    controller = ChatController(service, Settings(), FileSecretStore(tmp_path / "config"))
    dialog = SettingsDialog(controller)
    qtbot.addWidget(dialog)
    dialog.load()
    return dialog


def _save(dialog: SettingsDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Save)
    assert button is not None
    button.click()


def test_endpoint_settings_are_saved_and_the_key_is_stored_privately(
    qtbot: QtBot, dialog: SettingsDialog, tmp_path: Path
) -> None:
    accepted: list[Settings] = []
    dialog.settings_accepted.connect(accepted.append)
    assert dialog.copilot_radio.isChecked()
    assert not dialog.url_edit.isEnabled()
    dialog.endpoint_radio.setChecked(True)
    assert dialog.url_edit.isEnabled()
    dialog.url_edit.setText("http://127.0.0.1:11434/v1")
    dialog.model_combo.setCurrentText("llama3")
    dialog.key_edit.setText("sk-secret-value")
    _save(dialog)
    assert len(accepted) == 1
    settings = accepted[0]
    assert settings.source is Source.ENDPOINT
    assert settings.endpoint_url == "http://127.0.0.1:11434/v1"
    assert settings.endpoint_model == "llama3"
    assert "sk-secret-value" not in str(settings.to_json())
    key_file = tmp_path / "config" / "endpoint-api-key"
    assert key_file.read_text() == "sk-secret-value"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_bad_url_is_refused_with_a_message(qtbot: QtBot, dialog: SettingsDialog) -> None:
    accepted: list[Settings] = []
    dialog.settings_accepted.connect(accepted.append)
    dialog.endpoint_radio.setChecked(True)
    dialog.url_edit.setText("ftp://example.org")
    dialog.model_combo.setCurrentText("m")
    _save(dialog)
    assert accepted == []
    assert "http://" in dialog.status_label.text()


def test_demo_source_needs_no_endpoint(qtbot: QtBot, dialog: SettingsDialog) -> None:
    accepted: list[Settings] = []
    dialog.settings_accepted.connect(accepted.append)
    dialog.demo_radio.setChecked(True)
    _save(dialog)
    assert [s.source for s in accepted] == [Source.DEMO]


def test_mcp_servers_are_checked_as_typed_and_saved_only_when_valid(
    qtbot: QtBot, dialog: SettingsDialog, tmp_path: Path, service: CopilotService
) -> None:
    accepted: list[Settings] = []
    dialog.settings_accepted.connect(accepted.append)
    dialog.demo_radio.setChecked(True)
    page = dialog.mcp_page
    pasted = '{"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": "ghp_secret"}}}}'
    page.editor.setPlainText(pasted)
    qtbot.waitUntil(lambda: "looks like a secret" in page.status.text())  # checked as typed
    dialog.tabs.setCurrentIndex(0)
    _save(dialog)
    assert accepted == [] and dialog.tabs.currentWidget() is page  # refused, and shown where
    config_file = tmp_path / "config" / "mcp.json"
    assert not config_file.exists()  # the secret never reached the disk

    page.editor.setPlainText(pasted.replace("ghp_secret", "${GITHUB_TOKEN}"))
    page.check()
    assert page.status.text() == "✓ 1 on: gh"
    _save(dialog)
    assert len(accepted) == 1
    assert "${GITHUB_TOKEN}" in config_file.read_text(encoding="utf-8")
    assert service.mcp.enabled == ["gh"]  # new Agent sessions get it


def test_the_mcp_example_is_offered_on_an_empty_page(qtbot: QtBot, dialog: SettingsDialog) -> None:
    page = dialog.mcp_page
    assert page.editor.toPlainText() == "" and page.status.text() == "No MCP servers."
    page.example_button.click()
    assert '"mcpServers"' in page.editor.toPlainText()
    assert page.check() is not None
