"""The composer card's chips: the model, its reasoning effort, Chat or Agent mode and the Agent
folder, each a small flat control that opens the same picker as before (they left the toolbar, so
the session is set where the prompt is written)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QToolButton, QWidget

from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.core.vocabulary.access import MODE_DESCRIPTIONS, Mode, ToolAccess
from desktop_app.core.vocabulary.catalog.model import CatalogModel
from desktop_app.core.vocabulary.catalog.wording import DEFAULT_MODEL, DEFAULT_MODEL_TIP, model_description
from desktop_app.ui.platform.icons import icon
from desktop_app.ui.platform.live_palette import follow_palette
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
MODE_TIP = "\n".join(MODE_DESCRIPTIONS.values())
MODE_NAMES = {Mode.CHAT: "Chat", Mode.AGENT: "Agent", Mode.PLAN: "Plan", Mode.AUTOPILOT: "Autopilot"}


def elide_path(path: str, limit: int = 40) -> str:
    return path if len(path) <= limit else "…" + path[-(limit - 1) :]


class ModelChip(QComboBox):
    """The editable model chip, as wide as its placeholder too: Qt sizes a combo box by its items."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        edit = self.lineEdit()
        placeholder = edit.placeholderText() if edit is not None and not self.currentText() else ""
        if not placeholder:
            return hint
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        return QSize(hint.width() + max(metrics.horizontalAdvance(placeholder) - widest, 0), hint.height())


class ModeChip(QComboBox):
    """As wide as the mode it shows: Qt sizes a combo box by its widest item, and Autopilot would
    widen the composer (and squeeze the side panels) in every mode."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentIndexChanged.connect(self.updateGeometry)

    def _fitted(self, hint: QSize) -> QSize:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        return QSize(hint.width() - widest + metrics.horizontalAdvance(self.currentText()), hint.height())

    def sizeHint(self) -> QSize:
        return self._fitted(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._fitted(super().minimumSizeHint())


def chip_combo(parent: QWidget, name: str, tip: str, kind: type[QComboBox] = QComboBox) -> QComboBox:
    """A frameless combo box that fits what it shows: a chip."""
    combo = kind(parent)
    combo.setFrame(False)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setAccessibleName(name)
    combo.setToolTip(tip)
    combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return combo


CHIP_ICON = 16
TOOL_TIP = Qt.ItemDataRole.ToolTipRole


def chip_label(combo: QComboBox, icon_name: str, name: str) -> QLabel:
    """The chip's leading icon, a label screen readers tie to ``combo``: on Linux a combo box's name
    is its value, so what it is for comes from this "labelled by" relation."""
    label = QLabel(combo.parentWidget())

    def draw() -> None:  # again on each theme switch: a pixmap keeps the colours it was drawn in
        label.setPixmap(icon(icon_name).pixmap(QSize(CHIP_ICON, CHIP_ICON), label.devicePixelRatioF()))

    follow_palette(label, draw)
    label.setAccessibleName(f"{name}:")
    label.setToolTip(combo.toolTip())
    label.setBuddy(combo)
    return label


class SessionChips(QObject):
    """Shows the session's model, effort and mode; the choices themselves are the flows' business.

    ``chips()`` are the widgets, in order, for the composer card to place.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.model_picker = chip_combo(parent, "Model", MODEL_TIP, ModelChip)
        self.model_picker.setEditable(True)
        self.model_picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._models = QStandardItemModel(self.model_picker)
        self.model_picker.setModel(self._models)
        self.model_picker.setItemDelegate(ModelDelegate(self.model_picker))
        self._row_guard = DisabledRowGuard(self.model_picker.view())
        self.model_picker.setMinimumContentsLength(3)  # a chip: half a 1280 px screen still fits
        model_edit = self.model_picker.lineEdit()
        if model_edit is not None:
            model_edit.setAccessibleName("Model")
        self._default = False  # no model picked: the chip names Copilot's default (``show_models``)
        self.model_picker.currentIndexChanged.connect(self._describe_model)
        self.effort_picker = chip_combo(parent, "Reasoning effort", EFFORT_TIP)
        self.effort_picker.setVisible(False)  # until a model with levels is chosen
        self.mode_picker = chip_combo(parent, "Mode", MODE_TIP, ModeChip)
        for mode, name in MODE_NAMES.items():  # each explained in one line where it is chosen
            self.mode_picker.addItem(name, mode.value)
            self.mode_picker.setItemData(self.mode_picker.count() - 1, MODE_DESCRIPTIONS[mode], TOOL_TIP)
        self.model_label = chip_label(self.model_picker, "bot", "Model")
        self.effort_label = chip_label(self.effort_picker, "brain", "Reasoning effort")
        self.effort_label.setVisible(False)
        self.mode_label = chip_label(self.mode_picker, "tool", "Mode")
        self.folder_button = QToolButton(parent)
        self.folder_button.setAutoRaise(True)
        self.folder_button.setIcon(icon("folder"))
        self.folder_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.folder_button.setAccessibleName("Agent folder")
        self.folder_button.setToolTip("The folder Agent mode works in (click to change)")
        self.folder_button.setVisible(False)

    def chips(self) -> list[QWidget]:
        return [
            self.model_label,
            self.model_picker,
            self.effort_label,
            self.effort_picker,
            self.mode_label,
            self.mode_picker,
            self.folder_button,
        ]

    def show_models(self, models: list[CatalogModel], current: str) -> None:
        """The models on offer, grouped, without it counting as the user's pick. With none picked
        ("": Copilot's default, the only source that has one) the chip says so, greyed, instead of
        showing nothing; the box stays empty, so Enter in it still picks nothing."""
        picker = self.model_picker
        picker.blockSignals(True)
        picker.clear()
        for row in model_rows(models):
            self._models.appendRow(row)
        picker.setCurrentIndex(find_model_row(picker, current))
        if current and picker.currentIndex() < 0:
            picker.setEditText(current)
        self._default = not current
        edit = picker.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(DEFAULT_MODEL if self._default else "")
            edit.setAccessibleDescription(DEFAULT_MODEL_TIP if self._default else "")
        picker.view().setMinimumWidth(popup_width(picker))
        picker.blockSignals(False)
        picker.updateGeometry()  # the placeholder's width
        self._describe_model()

    def _describe_model(self) -> None:
        index = self.model_picker.currentIndex()
        tip = self.model_picker.itemData(index, Qt.ItemDataRole.ToolTipRole) if index >= 0 else None
        if isinstance(tip, str) and tip:
            self.model_picker.setToolTip(tip)
        else:
            self.model_picker.setToolTip(DEFAULT_MODEL_TIP if self._default else MODEL_TIP)

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
        self.effort_picker.setVisible(shown)
        self.effort_label.setVisible(shown)
        if model is not None and shown:
            self.effort_picker.setToolTip(rich_text_tooltip(f"{EFFORT_TIP}.\n\n{model_description(model)}"))
        else:
            self.effort_picker.setToolTip(EFFORT_TIP)

    def show_access(self, access: ToolAccess) -> None:
        self.mode_picker.setCurrentIndex(self.mode_picker.findData(access.mode.value))
        agent = access.mode.agentic
        self.mode_picker.setToolTip(MODE_DESCRIPTIONS[access.mode] + "\n\n" + MODE_TIP)
        self.folder_button.setVisible(agent)
        self.folder_button.setText(f"in {elide_path(access.working_directory, 32)}" if agent else "")
        # The folder may come from an imported conversation: a tooltip that shows it as text.
        where = f"{MODE_NAMES[access.mode]} mode works in {access.working_directory} (click to change)"
        self.folder_button.setToolTip(rich_text_tooltip(where))
