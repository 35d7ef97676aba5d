"""The actions a message offers, one list for its hover bar and its context menu (same names).

The view adds Copy and Copy as markdown; the window adds Edit, Regenerate (with its menu of models),
Branch from here and the versions' Previous and Next with ``MessageActions.add``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desktop_app.ui.conversation.view.rows import Row, RowKind
from desktop_app.ui.platform.icons import icon

Choice = tuple[str, Callable[[], None]]  # a variant of an action: its name, what it does


@dataclass(frozen=True)
class MessageAction:
    """``run`` is given the row's index; ``applies`` says which rows offer it; ``confirms``: the
    action shows "Copied" where it was clicked; ``on_hover``: it has a button in the hover bar (or
    is only in the context menu). ``choices`` (given the index): variants of it, listed under
    ``choices_title`` in a submenu, and in the menu its hover button opens."""

    name: str
    icon: str
    run: Callable[[int], None]
    applies: Callable[[Row], bool] = lambda _row: True
    confirms: bool = False
    on_hover: bool = True
    choices: Callable[[int], list[Choice]] | None = None
    choices_title: str = ""


class MessageActions:
    """The message actions, in the order they are shown."""

    def __init__(self) -> None:
        self.actions: list[MessageAction] = []

    def add(self, action: MessageAction) -> None:
        self.actions.append(action)

    def for_row(self, row: Row, hover: bool = False) -> list[MessageAction]:
        return [a for a in self.actions if a.applies(row) and (a.on_hover or not hover)]

    def menu(self, index: int, row: Row, parent: QWidget, extra: list[QAction] | None = None) -> QMenu:
        """The row's context menu: its actions, then ``extra`` (Copy of a selection, Select all)."""
        menu = QMenu(parent)
        for action in self.for_row(row):
            item = menu.addAction(icon(action.icon), action.name)
            item.triggered.connect(lambda _checked=False, run=action.run: run(index))
            choices = action.choices(index) if action.choices is not None else []
            if choices:
                add_choices(menu.addMenu(action.choices_title), choices)
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


def add_choices(menu: QMenu, choices: list[Choice]) -> None:
    for name, run in choices:
        menu.addAction(name).triggered.connect(lambda _checked=False, chosen=run: chosen())


def is_reply_or_prompt(row: Row) -> bool:
    return row.kind in (RowKind.REPLY, RowKind.USER)
