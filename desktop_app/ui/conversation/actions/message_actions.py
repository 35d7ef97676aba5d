"""The actions a message offers, one list for its hover bar and its context menu (same names).

Later features (Edit, Regenerate, Branch from here) add theirs with ``MessageActions.add``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desktop_app.ui.conversation.view.rows import Row, RowKind
from desktop_app.ui.platform.icons import icon


@dataclass(frozen=True)
class MessageAction:
    """``run`` is given the row's index; ``applies`` says which rows offer it; ``confirms``: the
    action shows "Copied" where it was clicked."""

    name: str
    icon: str
    run: Callable[[int], None]
    applies: Callable[[Row], bool] = lambda _row: True
    confirms: bool = False


class MessageActions:
    """The message actions, in the order they are shown."""

    def __init__(self) -> None:
        self.actions: list[MessageAction] = []

    def add(self, action: MessageAction) -> None:
        self.actions.append(action)

    def for_row(self, row: Row) -> list[MessageAction]:
        return [action for action in self.actions if action.applies(row)]

    def menu(self, index: int, row: Row, parent: QWidget, extra: list[QAction] | None = None) -> QMenu:
        """The row's context menu: its actions, then ``extra`` (Copy of a selection, Select all)."""
        menu = QMenu(parent)
        for action in self.for_row(row):
            item = menu.addAction(icon(action.icon), action.name)
            item.triggered.connect(lambda _checked=False, run=action.run: run(index))
        if extra:
            menu.addSeparator()
            for item in extra:
                menu.addAction(item)
        return menu

    def show_menu(
        self, index: int, row: Row, parent: QWidget, at: QPoint, extra: list[QAction] | None = None
    ) -> QMenu:
        menu = self.menu(index, row, parent, extra)
        menu.popup(at)
        return menu


def is_reply_or_prompt(row: Row) -> bool:
    return row.kind in (RowKind.REPLY, RowKind.USER)
