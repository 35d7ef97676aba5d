"""Settings → MCP servers: ``mcp.json`` as text, checked as you type, saved only when valid.

MCP servers' READMEs give their configuration as this JSON, so the page takes it as it is pasted
instead of a form per field; the check says what is wrong and where, and refuses pasted secrets.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.config.mcp_config import (
    CONFIG_FILE,
    EXAMPLE,
    McpConfig,
    load_mcp_config,
    parse,
    save_mcp_config,
)

HELP = (
    "MCP servers give Agent mode more tools. Paste the configuration a server's README shows "
    '({"mcpServers": {…}}): "command" and "args" for a local server, "url" for a remote one. '
    'Keep tokens out of the file: set them in your environment and write "${NAME}". '
    "Every tool a server offers still asks before it runs. Changes apply to conversations "
    "opened or switched to Agent mode from now on."
)


class McpPage(QWidget):
    def __init__(self, config_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config_dir = config_dir
        self.setAccessibleName("MCP servers")
        help_label = QLabel(HELP, self)
        help_label.setWordWrap(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName(f"MCP servers ({CONFIG_FILE})")
        self.editor.setFont(QFont("DejaVu Sans Mono", 9))
        self.editor.setPlaceholderText(EXAMPLE)
        self.editor.setTabChangesFocus(True)  # Tab leaves the editor: the dialog stays walkable
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # JSON reads by its lines
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # errors quote the file: not markup
        self.status.setAccessibleName("MCP check")
        self.example_button = QPushButton("Insert example", self)
        self.example_button.clicked.connect(self._insert_example)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.example_button)
        layout = QVBoxLayout(self)
        layout.addWidget(help_label)
        layout.addWidget(self.editor, 1)
        layout.addLayout(row)
        self._saved_text = ""
        self._check_soon = QTimer(self)
        self._check_soon.setSingleShot(True)
        self._check_soon.setInterval(300)
        self._check_soon.timeout.connect(self.check)
        self.editor.textChanged.connect(self._check_soon.start)

    def load(self) -> None:
        _, text, problem = load_mcp_config(self.config_dir)
        self._saved_text = text
        self.editor.setPlainText(text)
        self.check()
        if problem:
            self.status.setText(problem)

    @property
    def changed(self) -> bool:
        return self.editor.toPlainText() != self._saved_text

    @Slot()
    def check(self) -> McpConfig | None:
        """Show what the text holds or what is wrong with it; None when it is not valid."""
        self._check_soon.stop()
        try:
            config = parse(self.editor.toPlainText())
        except ValueError as exc:
            self.status.setText(f"⚠ {exc}")
            return None
        names = config.enabled
        off = len(config.servers) - len(names)
        self.status.setText(
            ("No MCP servers." if not config.servers else f"✓ {len(names)} on: {', '.join(names) or '–'}")
            + (f" ({off} disabled)" if off else "")
        )
        return config

    def save(self) -> McpConfig | None:
        """Write the file if the text changed; None (and the reason shown) if it is not valid."""
        if self.check() is None:
            return None
        text = self.editor.toPlainText()
        config = save_mcp_config(self.config_dir, text)
        self._saved_text = text
        return config

    @Slot()
    def _insert_example(self) -> None:
        if not self.editor.toPlainText().strip():
            self.editor.setPlainText(EXAMPLE)
        self.editor.setFocus()
