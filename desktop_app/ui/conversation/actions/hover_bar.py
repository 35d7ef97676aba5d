"""The icons shown under the message the mouse is over: its actions, with "Copied" where it copied."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from desktop_app.ui.conversation.actions.message_actions import MessageAction, MessageActions, add_choices
from desktop_app.ui.conversation.view.rows import Row, RowKind
from desktop_app.ui.platform.icons import icon

CONFIRM_MS = 1500


class HoverBar(QWidget):
    """A row of icon buttons over the view's action strip, for one row at a time."""

    def __init__(self, actions: MessageActions, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("messageActions")
        self._actions = actions
        self.row_index = -1
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.confirmation = QLabel("Copied", self)
        self.confirmation.setObjectName("copiedLabel")
        self.confirmation.hide()
        self.buttons: dict[str, QToolButton] = {}
        self.last_menu: QMenu | None = None  # the menu of an action with choices, last opened
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._unconfirm)
        self.hide()

    def show_for(self, index: int, row: Row) -> None:
        """The bar for ``row`` (rebuilt only when the row's kind of actions differ)."""
        self.row_index = index
        wanted = [action.name for action in self._actions.for_row(row, hover=True)]
        if wanted != list(self.buttons):
            self._rebuild(self._actions.for_row(row, hover=True))
        self._layout.setDirection(
            QHBoxLayout.Direction.RightToLeft
            if row.kind is RowKind.USER
            else QHBoxLayout.Direction.LeftToRight
        )
        self.adjustSize()

    def _rebuild(self, actions: list[MessageAction]) -> None:
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self._layout.removeWidget(self.confirmation)
        self.buttons = {}
        for action in actions:
            button = QToolButton(self)
            button.setIcon(icon(action.icon))
            button.setIconSize(QSize(16, 16))
            button.setAutoRaise(True)
            button.setToolTip(action.name)
            button.setAccessibleName(action.name)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard has the context menu
            button.clicked.connect(lambda _checked=False, chosen=action: self._clicked(chosen))
            self._layout.addWidget(button)
            self.buttons[action.name] = button
        self._layout.addWidget(self.confirmation)

    def _clicked(self, action: MessageAction) -> None:
        index = self.row_index
        choices = action.choices(index) if action.choices is not None else []
        if choices:  # the action itself first, then its variants (Regenerate, then with a model)
            menu = QMenu(self)
            menu.addAction(icon(action.icon), action.name).triggered.connect(lambda: action.run(index))
            menu.addSection(action.choices_title)
            add_choices(menu, choices)
            under = self.buttons[action.name]
            menu.popup(under.mapToGlobal(under.rect().bottomLeft()))
            self.last_menu = menu
            return
        action.run(index)
        if action.confirms:
            button = self.buttons.get(action.name)
            if button is not None:
                button.setIcon(icon("copied"))
                self._confirmed = action
            self.confirmation.show()
            self.adjustSize()
            self._timer.start(CONFIRM_MS)

    def _unconfirm(self) -> None:
        self.confirmation.hide()
        for name, button in self.buttons.items():
            action = next((a for a in self._actions.actions if a.name == name), None)
            if action is not None:
                button.setIcon(icon(action.icon))
        self.adjustSize()
