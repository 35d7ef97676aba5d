"""The settings page that lists every kept permission answer and takes any of them back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.permissions.rules import RuleBook, describe_rule, rule_applies
from desktop_app.core.vocabulary.permission_requests import Rule
from desktop_app.ui.signals.change_relay import RulesRelay

KIND_TEXT = {
    "shell": "Shell",
    "write": "Write",
    "read": "Read",
    "url": "Fetch",
    "mcp": "MCP tool",
    "custom-tool": "Tool",
}


def rule_text(rule: Rule) -> str:
    kind = KIND_TEXT.get(rule.kind.value, rule.kind.value)
    unused = "" if rule_applies(rule) else " (too broad: no longer applied, asks instead)"
    return f"{kind}: {describe_rule(rule)}{unused}"


class PermissionRulesPage(QWidget):
    """Follows the ``RuleBook`` (shared by all windows), so a rule kept anywhere shows at once."""

    def __init__(self, rules: RuleBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rules = rules
        self.setAccessibleName("Permission rules")
        intro = QLabel(
            "Requests these rules cover run without asking; each still shows in the tool panel "
            "with the rule that allowed it. Revoke a rule to be asked again.",
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Kept permission rules")
        self.empty = QLabel("No rules: every tool action asks first.", self)
        self.revoke_button = QPushButton("Revoke", self)
        self.revoke_all_button = QPushButton("Revoke all", self)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.revoke_all_button.clicked.connect(self.revoke_all)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revoke_button)
        buttons.addWidget(self.revoke_all_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._relay = RulesRelay(rules.changed, self)  # gone with the page
        self._relay.changed.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        self.list.clear()
        for rule in self.rules.rules:
            item = QListWidgetItem(rule_text(rule))
            item.setData(Qt.ItemDataRole.UserRole, rule.id)
            self.list.addItem(item)
        self.empty.setVisible(self.list.count() == 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.revoke_button.setEnabled(self.list.currentItem() is not None)
        self.revoke_all_button.setEnabled(self.list.count() > 0)

    @Slot()
    def revoke_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.rules.revoke(str(item.data(Qt.ItemDataRole.UserRole)))

    @Slot()
    def revoke_all(self) -> None:
        for rule in self.rules.rules:
            self.rules.revoke(rule.id)
