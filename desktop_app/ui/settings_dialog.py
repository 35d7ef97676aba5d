"""Where answers come from: GitHub Copilot, an OpenAI-compatible endpoint, or the scripted demo."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.credentials import redact
from desktop_app.core.endpoint_models import EndpointError, fetch_models
from desktop_app.core.settings import Settings, Source
from desktop_app.ui.permission_rules import PermissionRulesPage

if TYPE_CHECKING:
    from desktop_app.ui.controller import ChatController

log = logging.getLogger(__name__)


class SettingsDialog(QDialog):
    """Signals:
    settings_accepted(object): the new ``Settings`` (the API key, if typed, is already stored).
    """

    settings_accepted = Signal(object)

    def __init__(self, controller: ChatController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        model_page = QWidget(self.tabs)
        layout = QVBoxLayout(model_page)
        self.tabs.addTab(model_page, "Model")
        self.rules_page = PermissionRulesPage(controller.service.rules, self.tabs)
        self.tabs.addTab(self.rules_page, "Permissions")
        outer.addWidget(self.tabs)

        self.copilot_radio = QRadioButton("GitHub Copilot (the signed-in CLI user)")
        self.endpoint_radio = QRadioButton("An OpenAI-compatible endpoint (Ollama, LM Studio, vLLM, OpenAI…)")
        self.demo_radio = QRadioButton("The scripted demo model (no account needed; not a real model)")
        self.group = QButtonGroup(self)
        for button in (self.copilot_radio, self.endpoint_radio, self.demo_radio):
            self.group.addButton(button)
            layout.addWidget(button)
        self.group.buttonToggled.connect(self._update_enabled)

        form = QFormLayout()
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("http://127.0.0.1:11434/v1")
        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.fetch_button = QPushButton("Fetch models")
        self.fetch_button.clicked.connect(self._fetch)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_combo, 1)
        model_row.addWidget(self.fetch_button)
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("leave empty to keep the stored key")
        self.key_note = QLabel(f"The key is kept in {controller.secrets.description}.")
        self.key_note.setWordWrap(True)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        form.addRow("Base URL", self.url_edit)
        form.addRow("Model", model_row)
        form.addRow("API key", self.key_edit)
        form.addRow("", self.key_note)
        layout.addLayout(form)
        layout.addWidget(self.status_label)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self._fetching = False

    def load(self) -> None:
        s = self.controller.settings
        {
            Source.COPILOT: self.copilot_radio,
            Source.ENDPOINT: self.endpoint_radio,
            Source.DEMO: self.demo_radio,
        }[s.source].setChecked(True)
        self.url_edit.setText(s.endpoint_url)
        self.model_combo.setCurrentText(s.endpoint_model)
        self.key_edit.clear()
        self.status_label.clear()
        self._update_enabled()

    def chosen_source(self) -> Source:
        if self.endpoint_radio.isChecked():
            return Source.ENDPOINT
        if self.demo_radio.isChecked():
            return Source.DEMO
        return Source.COPILOT

    @Slot()
    def _update_enabled(self, *_args: object) -> None:
        endpoint = self.endpoint_radio.isChecked()
        for widget in (self.url_edit, self.model_combo, self.fetch_button, self.key_edit):
            widget.setEnabled(endpoint)

    @Slot()
    def _fetch(self) -> None:
        if not self._fetching:
            self.controller.tasks.spawn(self._fetch_models())

    async def _fetch_models(self) -> None:
        self._fetching = True
        self.status_label.setText("Asking the endpoint for its models…")
        key = self.key_edit.text().strip() or self.controller.target().api_key
        try:
            models = await fetch_models(self.url_edit.text().strip(), key)
        except EndpointError as exc:
            self.status_label.setText(str(exc))
            return
        finally:
            self._fetching = False
        current = self.model_combo.currentText()
        self.model_combo.clear()
        self.model_combo.addItems(models)
        self.model_combo.setCurrentText(current if current in models or not models else models[0])
        self.status_label.setText(f"{len(models)} models found.")

    @Slot()
    def _save(self) -> None:
        source = self.chosen_source()
        url = self.url_edit.text().strip()
        model = self.model_combo.currentText().strip()
        if source is Source.ENDPOINT and not url.startswith(("http://", "https://")):
            self.status_label.setText("The base URL must start with http:// or https://")
            return
        if source is Source.ENDPOINT and not model:
            self.status_label.setText("Type or fetch a model name.")
            return
        key = self.key_edit.text().strip()
        if key:
            try:
                self.controller.secrets.set(key)
            except Exception as exc:
                self.status_label.setText(f"Could not store the key: {type(exc).__name__}")
                return
            log.info("Stored the endpoint API key %s", redact(key))
        settings: Settings = self.controller.settings.with_overrides(
            source=source, endpoint_url=url, endpoint_model=model
        )
        self.settings_accepted.emit(settings)
        self.accept()
