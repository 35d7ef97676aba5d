"""The list of completions over the composer: slash commands or files, each a name and a description.

It never takes the keyboard: the editor keeps it and ``Completion`` passes Up, Down, Enter, Tab and
Esc here. It is a child of the window (not a popup window), so nothing grabs the mouse or the focus,
and it shows in a screenshot of the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

MAX_ROWS = 8
CHOICE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Choice:
    """One row: ``label`` in bold (``/compact``, ``src/main.py``), ``description`` after it."""

    label: str
    description: str
    value: str  # what choosing it means: the command's name, the file's relative path


class ChoiceDelegate(QStyledItemDelegate):
    """The label in bold, the description after it in a quieter colour, elided; plain text only."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        choice = index.data(CHOICE_ROLE)
        if not isinstance(choice, Choice):
            super().paint(painter, option, index)
            return
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        rect: QRect = option.rect  # type: ignore[attr-defined]
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        painter.save()
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        bold = QFont(option.font)  # type: ignore[attr-defined]
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(palette.color(text_role))
        inner = rect.adjusted(10, 0, -10, 0)
        metrics = painter.fontMetrics()
        label = metrics.elidedText(choice.label, Qt.TextElideMode.ElideMiddle, inner.width() // 2)
        painter.drawText(inner, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)
        gap = metrics.horizontalAdvance(label) + 14
        painter.setFont(option.font)  # type: ignore[attr-defined]
        quiet = QColor(palette.color(text_role))
        quiet.setAlphaF(0.9 if selected else 0.65)
        painter.setPen(quiet)
        rest = inner.adjusted(gap, 0, 0, 0)
        description = painter.fontMetrics().elidedText(
            choice.description, Qt.TextElideMode.ElideRight, max(0, rest.width())
        )
        painter.drawText(rest, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, description)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 12))  # type: ignore[attr-defined]


class CompletionPopup(QFrame):
    """The completions, above the composer.

    Signals:
        clicked(Choice): a row was clicked.
    """

    clicked = Signal(Choice)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("CompletionPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list = QListWidget(self)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setItemDelegate(ChoiceDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._item_clicked)
        self.setAccessibleName("Completions")
        self.list.setAccessibleName("Completions")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.list)
        self.hide()

    def set_choices(self, choices: list[Choice], title: str) -> None:
        """The rows, the first one current; ``title`` names the list for a screen reader."""
        self.setAccessibleName(title)
        self.list.setAccessibleName(title)
        self.list.clear()
        for choice in choices:
            item = QListWidgetItem(choice.label)
            item.setData(CHOICE_ROLE, choice)
            item.setToolTip(choice.description)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{choice.label}: {choice.description}")
            self.list.addItem(item)
        if choices:
            self.list.setCurrentRow(0)

    def choices(self) -> list[Choice]:
        return [self.list.item(row).data(CHOICE_ROLE) for row in range(self.list.count())]

    def current(self) -> Choice | None:
        item = self.list.currentItem()
        return item.data(CHOICE_ROLE) if item is not None and self.isVisible() else None

    def step(self, by: int) -> None:
        """The next (``by`` 1) or previous (-1) row, round the ends."""
        count = self.list.count()
        if count:
            self.list.setCurrentRow((self.list.currentRow() + by) % count)

    def show_over(self, anchor: QWidget) -> None:
        """Open just above ``anchor`` (the composer card), as wide as it."""
        parent = self.parentWidget()
        assert parent is not None
        rows = min(MAX_ROWS, max(1, self.list.count()))
        row_height = self.list.sizeHintForRow(0) if self.list.count() else 24
        height = rows * row_height + 2 * self.list.frameWidth() + 6
        top_left = anchor.mapTo(parent, QPoint(0, 0))
        top = max(0, top_left.y() - height - 4)
        self.setGeometry(top_left.x(), top, anchor.width(), height)
        self.show()
        self.raise_()

    def _item_clicked(self, item: QListWidgetItem) -> None:
        choice = item.data(CHOICE_ROLE)
        if isinstance(choice, Choice):
            self.clicked.emit(choice)
