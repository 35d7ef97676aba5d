"""Where answers come from: GitHub Copilot, an OpenAI-compatible endpoint, or the scripted demo."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.config.credentials import UnsafeKeyFileError, redact
from desktop_app.core.config.settings import Settings, Source
from desktop_app.core.vocabulary.account import AccountState
from desktop_app.ui.settings.customize_page import CustomizePage
from desktop_app.ui.settings.mcp_page import McpPage
from desktop_app.ui.tools.permission_rules import PermissionRulesPage

if TYPE_CHECKING:
    from desktop_app.ui.controller.controller import ChatController

log = logging.getLogger(__name__)


class SettingsDialog(QDialog):
    """Signals:
    settings_accepted(Settings): the new settings (the API key, if typed, is already stored).
    sign_in_requested(): the user asked to sign in with GitHub (the window's sign-in window opens).
    """

    settings_accepted = Signal(Settings)
    sign_in_requested = Signal()

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
        self.rules_page = PermissionRulesPage(controller.rules, self.tabs)
        self.tabs.addTab(self.rules_page, "Permissions")
        self.tabs.addTab(self._conversation_page(), "Conversations")
        self.mcp_page = McpPage(controller.config_dir, self.tabs)
        self.tabs.addTab(self.mcp_page, "MCP servers")
        self.customize_page = CustomizePage(controller.customizing, self.tabs)
        self.tabs.addTab(self.customize_page, "Customize")
        outer.addWidget(self.tabs)

        self.copilot_radio = QRadioButton("GitHub Copilot (the signed-in CLI user)")
        self.endpoint_radio = QRadioButton("An OpenAI-compatible endpoint (Ollama, LM Studio, vLLM, OpenAI…)")
        self.demo_radio = QRadioButton("The scripted demo model (no account needed; not a real model)")
        self.group = QButtonGroup(self)
        for button in (self.copilot_radio, self.endpoint_radio, self.demo_radio):
            self.group.addButton(button)
            layout.addWidget(button)
            if button is self.copilot_radio:
                layout.addLayout(self._account_row(controller))
        self.group.buttonToggled.connect(self._update_enabled)

        form = QFormLayout()
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("http://127.0.0.1:11434/v1")
        self.url_edit.setAccessibleName("Base URL")
        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.model_combo.setAccessibleName("Endpoint model")
        model_edit = self.model_combo.lineEdit()
        if model_edit is not None:
            model_edit.setAccessibleName("Endpoint model")
        self.fetch_button = QPushButton("Fetch models")
        self.fetch_button.clicked.connect(self._fetch)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_combo, 1)
        model_row.addWidget(self.fetch_button)
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAccessibleName("API key")
        self.key_edit.setPlaceholderText("leave empty to keep the stored key")
        self.key_note = QLabel(f"The key is kept in {controller.secrets_description}.")
        self.key_note.setWordWrap(True)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        form.addRow("Base URL", self.url_edit)
        model_label = QLabel("Model")
        model_label.setBuddy(self.model_combo)  # the row is a layout: name the combo for screen readers
        form.addRow(model_label, model_row)
        form.addRow("API key", self.key_edit)
        self.context_spin = QSpinBox()
        self.context_spin.setRange(0, 10_000_000)
        self.context_spin.setSingleStep(1024)
        self.context_spin.setSpecialValueText("the model's default")
        self.context_spin.setSuffix(" tokens")
        self.context_spin.setAccessibleName("Context window")
        self.context_spin.setToolTip("The model's context window; long conversations are compacted to fit")
        form.addRow("Context window", self.context_spin)
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

    def _conversation_page(self) -> QWidget:
        page = QWidget(self.tabs)
        form = QFormLayout(page)
        self.compaction_check = QCheckBox("Compact long conversations so they can go on for ever")
        self.compaction_check.setToolTip(
            "As the context window fills, Copilot summarises older turns; a marker in the "
            "conversation shows when and how many tokens it freed."
        )
        self.compaction_start = QSpinBox()
        self.compaction_start.setRange(10, 99)
        self.compaction_start.setSuffix(" % of the context window")
        self.compaction_start.setAccessibleName("Start compacting at")
        self.compaction_limit = QSpinBox()
        self.compaction_limit.setRange(11, 100)
        self.compaction_limit.setSuffix(" % of the context window")
        self.compaction_limit.setAccessibleName("Wait for compaction at")
        self.timeout_spin = QSpinBox()
        self.timeout_spin.setRange(5, 3600)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setAccessibleName("Give up on a silent reply after")
        # Sending waits only above the level where background compaction starts.
        self.compaction_start.valueChanged.connect(lambda v: self.compaction_limit.setMinimum(v + 1))
        self.compaction_check.toggled.connect(self.compaction_start.setEnabled)
        self.compaction_check.toggled.connect(self.compaction_limit.setEnabled)
        form.addRow(self.compaction_check)
        form.addRow("Start in the background at", self.compaction_start)
        form.addRow("Wait for it before sending at", self.compaction_limit)
        form.addRow("Stop a reply silent for", self.timeout_spin)
        self.theme_combo = QComboBox()
        self.theme_combo.setAccessibleName("Appearance")
        for label, value in (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark")):
            self.theme_combo.addItem(label, value)
        form.addRow("Appearance", self.theme_combo)
        return page

    def _account_row(self, controller: ChatController) -> QHBoxLayout:
        """Who the Copilot choice answers as, and the way to sign in."""
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 0, 0)
        self.account_label = QLabel(self)
        self.account_label.setTextFormat(Qt.TextFormat.PlainText)  # a login from GitHub
        self.account_label.setAccessibleName("GitHub account")
        self.sign_in_button = QPushButton("Sign in with GitHub…", self)
        self.sign_in_button.setAutoDefault(False)
        self.sign_in_button.clicked.connect(self.sign_in_requested.emit)
        row.addWidget(self.account_label, 1)
        row.addWidget(self.sign_in_button)
        controller.account.state_changed.connect(self._show_account)
        self._show_account(controller.account.state)
        return row

    @Slot(AccountState)
    def _show_account(self, state: AccountState) -> None:
        if state.account is None:
            self.account_label.setText("Not signed in to GitHub.")
            self.sign_in_button.setText("Sign in with GitHub…")
            return
        plan = f" (Copilot {state.plan})" if state.plan else ""
        self.account_label.setText(f"Signed in as {state.account.label}{plan}.")
        self.sign_in_button.setText("Sign in with another account…")

    def load(self) -> None:
        s = self.controller.settings
        self.context_spin.setValue(s.endpoint_context_tokens)
        self.compaction_check.setChecked(s.compaction)
        self.compaction_start.setValue(round(s.compaction_start * 100))
        self.compaction_limit.setValue(round(s.compaction_limit * 100))
        self.compaction_start.setEnabled(s.compaction)
        self.compaction_limit.setEnabled(s.compaction)
        self.timeout_spin.setValue(s.reply_timeout_s)
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(s.theme)))
        {
            Source.COPILOT: self.copilot_radio,
            Source.ENDPOINT: self.endpoint_radio,
            Source.DEMO: self.demo_radio,
        }[s.source].setChecked(True)
        self.url_edit.setText(s.endpoint_url)
        self.model_combo.setCurrentText(s.endpoint_model)
        self.key_edit.clear()
        self.status_label.clear()
        self.mcp_page.load()
        self.customize_page.load()
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
        for widget in (self.url_edit, self.model_combo, self.fetch_button, self.key_edit, self.context_spin):
            widget.setEnabled(endpoint)

    @Slot()
    def _fetch(self) -> None:
        if self._fetching:
            return
        self._fetching = True
        self.status_label.setText("Asking the endpoint for its models…")
        url, key = self.url_edit.text().strip(), self.key_edit.text().strip() or None  # None: the stored one
        self.controller.fetch_endpoint_models(url, key, self._models_fetched, self._fetch_failed)

    def _fetch_failed(self, message: str) -> None:
        self._fetching = False
        self.status_label.setText(message)

    def _models_fetched(self, models: list[str]) -> None:
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
                self.controller.store_api_key(key)
            except Exception as exc:
                # An unsafe key file's message names only the path; others might quote the key.
                detail = str(exc) if isinstance(exc, UnsafeKeyFileError) else type(exc).__name__
                self.status_label.setText(f"Could not store the key: {detail}")
                return
            log.info("Stored the endpoint API key %s", redact(key))
        if self.mcp_page.changed:
            try:
                mcp = self.mcp_page.save()
            except OSError as exc:
                self.mcp_page.status.setText(f"⚠ Could not save: {exc.strerror or exc}")
                mcp = None
            if mcp is None:
                self.tabs.setCurrentWidget(self.mcp_page)
                return
            self.controller.set_mcp(mcp)
            log.info("MCP servers saved: %s", ", ".join(mcp.enabled) or "none")
        self.customize_page.save()
        start, limit = self.compaction_start.value(), self.compaction_limit.value()
        settings: Settings = self.controller.settings.with_overrides(
            source=source,
            endpoint_url=url,
            endpoint_model=model,
            endpoint_context_tokens=self.context_spin.value(),
            compaction=self.compaction_check.isChecked(),
            compaction_start=start / 100,
            compaction_limit=limit / 100,
            reply_timeout_s=self.timeout_spin.value(),
            theme=str(self.theme_combo.currentData()),
        )
        self.settings_accepted.emit(settings)
        self.accept()
