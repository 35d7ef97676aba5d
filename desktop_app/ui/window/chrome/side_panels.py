"""The window's splitter: the side panels (sidebar, tool panel) keep their widths; the centre gives way.

A plain QSplitter shares out any change among its widgets: when a bar appears in the conversation
area and its minimum width grows past the room it has, or the window narrows and widens again, the
sidebar and the tool panel are squeezed and never get their width back. This one remembers each side
panel's width (as the user or the window last set it) and, after every layout change or resize,
gives it back, taking the difference from the central area, as far as the centre's minimum allows.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QWidget


class ChatSplitter(QSplitter):
    def __init__(self, parent: QWidget | None = None) -> None:
        # Attributes first: resizeEvent and event use them, and Qt may send either from __init__.
        self._central: QWidget | None = None
        self._kept: dict[int, int] = {}  # id of a side panel -> the width it should have
        self._restoring = False
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.splitterMoved.connect(self._moved)

    def set_central(self, widget: QWidget) -> None:
        """The widget that gives way (it also takes the stretch: the side panels keep their width)."""
        self._central = widget
        for index in range(self.count()):
            self.setStretchFactor(index, 1 if self.widget(index) is widget else 0)

    def setSizes(self, sizes: Sequence[int]) -> None:  # type: ignore[override]
        """Sizes set by the window (at start, when restoring): the side panels' widths to keep."""
        super().setSizes(list(sizes))
        for index, size in enumerate(sizes):  # as asked: before the window is shown, it is too small
            widget = self.widget(index)
            if widget is not None and widget is not self._central:
                self._kept[id(widget)] = size

    def kept_widths(self) -> list[int]:
        """The widths the visible side panels are kept at (for tests)."""
        return [self._kept.get(id(w), w.width()) for w in self._sides()]

    @Slot()
    def _moved(self) -> None:
        if not self._restoring:
            self._remember()

    def _sides(self) -> list[QWidget]:
        widgets = (self.widget(i) for i in range(self.count()))
        return [w for w in widgets if w is not None and w is not self._central and not w.isHidden()]

    def _remember(self) -> None:
        sizes = self.sizes()
        for index in range(self.count()):
            widget = self.widget(index)
            if widget is not None and widget is not self._central and not widget.isHidden():
                self._kept[id(widget)] = sizes[index]

    def restore_sides(self) -> None:
        """Give the side panels their kept widths back, the centre taking up the difference."""
        central = self._central
        if central is None or central.isHidden() or self._restoring:
            return
        sizes = self.sizes()
        total = sum(sizes)
        centre = self.indexOf(central)
        floor = max(central.minimumSizeHint().width(), central.minimumWidth())
        wanted = list(sizes)
        for index in range(self.count()):
            widget = self.widget(index)
            if widget is not None and index != centre and not widget.isHidden():
                wanted[index] = self._kept.get(id(widget), sizes[index])
        sides = sum(w for i, w in enumerate(wanted) if i != centre)
        if sides > total - floor:  # not enough room: the centre keeps its minimum, the sides share
            scale = max(0.0, (total - floor) / sides) if sides else 0.0
            wanted = [w if i == centre else int(w * scale) for i, w in enumerate(wanted)]
            sides = sum(w for i, w in enumerate(wanted) if i != centre)
        wanted[centre] = total - sides
        if wanted != sizes and total > 0:
            self._restoring = True
            try:
                super().setSizes(wanted)
            finally:
                self._restoring = False

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a child's size constraints changed
            self.restore_sides()
        return handled

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.restore_sides()
