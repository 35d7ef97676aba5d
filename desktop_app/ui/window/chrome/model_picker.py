"""What the toolbar's two pickers list: the models, grouped under headers that cannot be chosen, each
with its cost and context window beside its name and a model the account may not use greyed out
with the reason in its tooltip; and the chosen model's reasoning-effort levels, its default marked.

Names, levels and reasons come from the server: item views show them as plain text, tooltips go
through ``rich_text_tooltip``.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QMouseEvent, QPainter, QPalette, QStandardItem
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.core.vocabulary.catalog.groups import group_models
from desktop_app.core.vocabulary.catalog.model import CatalogModel, effort_choice
from desktop_app.core.vocabulary.catalog.wording import (
    DEFAULT_EFFORT,
    effort_item_text,
    model_description,
    model_details,
)

MODEL_ID = Qt.ItemDataRole.UserRole  # a model row's id (None on a header)
DETAILS = (
    Qt.ItemDataRole.UserRole + 1
)  # "1x · 128k context" (a multiplication sign), drawn at the row's right
HEADER = Qt.ItemDataRole.UserRole + 2  # True on a group's header
GAP = 24  # pixels between a name and its details
POPUP_LIMIT = 640  # the widest the list grows to show both


def header_item(title: str) -> QStandardItem:
    item = QStandardItem(title)
    item.setFlags(Qt.ItemFlag.NoItemFlags)  # neither chosen nor stepped onto with the keys
    item.setData(True, HEADER)
    item.setData(f"{title} models", Qt.ItemDataRole.AccessibleTextRole)
    return item


def model_item(model: CatalogModel) -> QStandardItem:
    item = QStandardItem(model.label)
    item.setData(model.id, MODEL_ID)
    details = model_details(model)
    item.setData(details, DETAILS)
    item.setToolTip(rich_text_tooltip(model_description(model)))
    said = ", ".join(part for part in (details, "" if model.usable else "not available") if part)
    item.setData(said, Qt.ItemDataRole.AccessibleDescriptionRole)
    if not model.usable:
        item.setFlags(Qt.ItemFlag.NoItemFlags)  # shown, greyed, never chosen
    return item


def model_rows(models: Iterable[CatalogModel]) -> list[QStandardItem]:
    """The picker's rows: each group's header (when it has one), then its models."""
    rows: list[QStandardItem] = []
    for group in group_models(models):
        if group.title:
            rows.append(header_item(group.title))
        rows.extend(model_item(model) for model in group.models)
    return rows


def is_model_row(combo: QComboBox, index: int) -> bool:
    return isinstance(combo.itemData(index, MODEL_ID), str)


def find_model_row(combo: QComboBox, model_id: str) -> int:
    return next((i for i in range(combo.count()) if combo.itemData(i, MODEL_ID) == model_id), -1)


def popup_width(combo: QComboBox) -> int:
    """Wide enough for the longest name with its details (within reason)."""
    metrics = combo.fontMetrics()
    widest = 0
    for i in range(combo.count()):
        details = combo.itemData(i, DETAILS)
        extra = metrics.horizontalAdvance(details) + GAP if isinstance(details, str) and details else 0
        widest = max(widest, metrics.horizontalAdvance(combo.itemText(i)) + extra)
    return min(widest + 3 * GAP, POPUP_LIMIT)


class ModelDelegate(QStyledItemDelegate):
    """Draws a row's name at the left and its details at the right; a header in bold, not greyed."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if index.data(HEADER):
            opt.font.setBold(True)
            opt.state |= QStyle.StateFlag.State_Enabled  # readable, though never chosen
        name, opt.text = opt.text, ""
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        enabled = bool(opt.state & QStyle.StateFlag.State_Enabled)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        details = index.data(DETAILS)
        details = details if isinstance(details, str) else ""
        painter.save()
        painter.setFont(opt.font)
        metrics = painter.fontMetrics()
        room = area.width() - (metrics.horizontalAdvance(details) + GAP if details else 0)
        painter.setPen(opt.palette.color(group, role))
        align = Qt.AlignmentFlag.AlignVCenter
        shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(room, 0))
        painter.drawText(area.adjusted(0, 0, -(area.width() - max(room, 0)), 0), align, shown)
        if details:
            dim = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
            painter.setPen(opt.palette.color(group, dim))
            painter.drawText(area, align | Qt.AlignmentFlag.AlignRight, details)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        details = index.data(DETAILS)
        if isinstance(details, str) and details:
            size.setWidth(size.width() + option.fontMetrics.horizontalAdvance(details) + GAP)  # type: ignore[attr-defined]
        return size


class DisabledRowGuard(QObject):
    """Swallows a click on a row nobody may choose (a header, an unusable model).

    The popup takes a release as choosing the row last highlighted, and the pointer cannot
    highlight a disabled row: clicking one would choose whichever row it passed over before.
    """

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        view.viewport().installEventFilter(self)  # after the popup's own filter: this one runs first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() is QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            index = self._view.indexAt(event.position().toPoint())
            if index.isValid() and not index.flags() & Qt.ItemFlag.ItemIsEnabled:
                return True
        return False


def fill_efforts(combo: QComboBox, model: CatalogModel | None, effort: str) -> bool:
    """List the model's levels, its default marked, ``effort`` chosen; False: it has none."""
    combo.blockSignals(True)
    combo.clear()
    if model is not None and model.efforts:
        if not model.default_effort:  # the model's own default, whichever level that is
            combo.addItem(DEFAULT_EFFORT, "")
        for level in model.efforts:
            combo.addItem(
                effort_item_text(level, model.default_effort), "" if level == model.default_effort else level
            )
        combo.setCurrentIndex(max(combo.findData(effort_choice(model, effort)), 0))
    combo.blockSignals(False)
    return combo.count() > 0
