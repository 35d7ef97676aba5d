"""The window's toolbar: the model, reasoning-effort and mode pickers, the Agent folder, where answers
come from, ☰."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QToolButton, QWidget

from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.catalog.model import CatalogModel
from desktop_app.core.vocabulary.catalog.wording import model_description
from desktop_app.ui.platform.live_palette import follow_palette, tint
from desktop_app.ui.window.chrome.model_picker import (
    DisabledRowGuard,
    ModelDelegate,
    fill_efforts,
    find_model_row,
    is_model_row,
    model_rows,
    popup_width,
)

MODEL_TIP = "Model (pick one, or type a name and press Enter)"
EFFORT_TIP = "Reasoning effort for this conversation: higher levels think longer before answering"


def elide_path(path: str, limit: int = 40) -> str:
    return path if len(path) <= limit else "…" + path[-(limit - 1) :]


def label_for(widget: QWidget, text: str, parent: QWidget) -> QLabel:
    """A label that screen readers tie to ``widget``: on Linux a combo box's name is its value, so
    what it is for comes from this "labelled by" relation."""
    label = QLabel(text, parent)
    label.setBuddy(widget)
    return label


class ChatToolBar(QToolBar):
    """Shows what the window talks to and how; the choices themselves are the flows' business.

    ``panel_action`` and ``settings_action`` sit at the right, then the ☰ button (``menu_button``).
    """

    def __init__(self, settings_action: QAction, panel_action: QAction, parent: QWidget) -> None:
        super().__init__("Chat", parent)
        self.setMovable(False)
        self.source_badge = QLabel("", self)
        self.source_badge.setTextFormat(Qt.TextFormat.PlainText)  # an endpoint's name: not markup
        self._demo = False
        follow_palette(self.source_badge, self._restyle_badge)
        self.model_picker = QComboBox(self)
        self.model_picker.setEditable(True)
        self.model_picker.setInsertPolicy(
            QComboBox.InsertPolicy.NoInsert
        )  # a typed name is chosen, not listed
        self._models = QStandardItemModel(self.model_picker)
        self.model_picker.setModel(self._models)
        self.model_picker.setItemDelegate(ModelDelegate(self.model_picker))
        self._row_guard = DisabledRowGuard(self.model_picker.view())
        self.model_picker.setMinimumContentsLength(22)
        self.model_picker.setAccessibleName("Model")
        self.model_picker.setToolTip(MODEL_TIP)
        model_edit = self.model_picker.lineEdit()
        if model_edit is not None:
            model_edit.setAccessibleName("Model")
        self.model_picker.currentIndexChanged.connect(self._describe_model)
        self.addWidget(label_for(self.model_picker, " Model: ", self))
        self.addWidget(self.model_picker)
        self.effort_picker = QComboBox(self)
        self.effort_picker.setAccessibleName("Reasoning effort")
        self.effort_picker.setToolTip(EFFORT_TIP)
        self._effort_actions = (
            self.addWidget(label_for(self.effort_picker, " Effort: ", self)),
            self.addWidget(self.effort_picker),
        )
        for action in self._effort_actions:
            action.setVisible(False)  # until a model with levels is chosen
        self.addSeparator()
        self.mode_picker = QComboBox(self)
        self.mode_picker.addItem("Chat", Mode.CHAT.value)
        self.mode_picker.addItem("Agent", Mode.AGENT.value)
        self.mode_picker.setAccessibleName("Mode")
        self.mode_picker.setToolTip(
            "Chat: only the app's own safe tools (calculator, clock).\n"
            "Agent: Copilot's built-in tools work in a folder you choose; each action asks first."
        )
        self.folder_button = QToolButton(self)
        self.folder_button.setAccessibleName("Agent folder")
        self.folder_button.setToolTip("The folder Agent mode works in (click to change)")
        self.addWidget(label_for(self.mode_picker, " Mode: ", self))
        self.addWidget(self.mode_picker)
        self.addWidget(self.folder_button)
        self.addSeparator()
        self.addWidget(self.source_badge)
        spacer = QWidget(self)
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
        )
        self.addWidget(spacer)
        self.addAction(settings_action)
        self.menu_button = QToolButton(self)
        self.menu_button.setText("☰")
        self.menu_button.setAccessibleName("Menu")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.addWidget(self.menu_button)
        self.insertAction(settings_action, panel_action)

    def show_models(self, models: list[CatalogModel], current: str) -> None:
        """The models on offer, grouped, without it counting as the user's pick."""
        picker = self.model_picker
        picker.blockSignals(True)
        picker.clear()
        for row in model_rows(models):
            self._models.appendRow(row)
        picker.setCurrentIndex(find_model_row(picker, current))
        if current and picker.currentIndex() < 0:
            picker.setEditText(current)
        picker.view().setMinimumWidth(popup_width(picker))
        picker.blockSignals(False)
        self._describe_model()

    def _describe_model(self) -> None:
        index = self.model_picker.currentIndex()
        tip = self.model_picker.itemData(index, Qt.ItemDataRole.ToolTipRole) if index >= 0 else None
        self.model_picker.setToolTip(tip if isinstance(tip, str) and tip else MODEL_TIP)

    def picked_model(self, index: int) -> str:
        """The id of the model in row ``index`` ("" for a header)."""
        if is_model_row(self.model_picker, index):
            return str(self.model_picker.itemData(index, Qt.ItemDataRole.UserRole))
        return ""

    def typed_model(self) -> str:
        """The model the box names: a listed model's id when its name is typed as shown."""
        text = self.model_picker.currentText().strip()
        return self.picked_model(self.model_picker.findText(text)) or text

    def show_effort(self, model: CatalogModel | None, effort: str) -> None:
        """The chosen model's reasoning-effort levels with the conversation's chosen; hidden when it
        has none (an endpoint's, the demo's, most Copilot models)."""
        shown = fill_efforts(self.effort_picker, model, effort)
        for action in self._effort_actions:
            action.setVisible(shown)
        if model is not None and shown:
            self.effort_picker.setToolTip(rich_text_tooltip(f"{EFFORT_TIP}.\n\n{model_description(model)}"))
        else:
            self.effort_picker.setToolTip(EFFORT_TIP)

    def show_source(self, label: str, demo: bool) -> None:
        self.source_badge.setText(f"  {label}  ")
        self._demo = demo
        self._restyle_badge()

    def _restyle_badge(self) -> None:
        """The demo's badge stands out, in the current theme's colour."""
        self.source_badge.setStyleSheet(f"color:{tint('demo_badge')}; font-weight:600;" if self._demo else "")

    def show_access(self, access: ToolAccess) -> None:
        self.mode_picker.setCurrentIndex(self.mode_picker.findData(access.mode.value))
        agent = access.mode is Mode.AGENT
        self.folder_button.setVisible(agent)
        self.folder_button.setText(f"in {elide_path(access.working_directory, 32)}" if agent else "")
        # The folder may come from an imported conversation: a tooltip that shows it as text.
        where = f"Agent mode works in {access.working_directory} (click to change)"
        self.folder_button.setToolTip(rich_text_tooltip(where))
