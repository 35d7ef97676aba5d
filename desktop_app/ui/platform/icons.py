"""The app's icons: Lucide's SVGs (ISC, ``resources/icons/lucide``), drawn in the palette's colours.

An icon is drawn when it is painted, in the current palette's text colour (greyed when disabled,
the highlight colour when selected), so a theme switch recolours every icon at once with nothing to
reset. Lucide draws with ``currentColor``; the colour is substituted into the SVG before Qt renders it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parents[3] / "resources" / "icons" / "lucide"

# What each action is called in the app -> the Lucide icon that shows it.
NAMES = {
    "copy": "copy",
    "copy-markdown": "file-code",
    "copied": "check",
    "send": "arrow-up",
    "stop": "square",
    "new": "square-pen",
    "attach": "paperclip",
    "edit": "pencil",
    "regenerate": "refresh-cw",
    "branch": "git-branch",
    "checkpoint": "history",
    "search": "search",
    "close": "x",
    "previous": "chevron-up",
    "next": "chevron-down",
    "back": "chevron-left",
    "forward": "chevron-right",
    "jump-to-latest": "arrow-down",
    "more": "ellipsis",
    "pin": "pin",
    "unpin": "pin-off",
    "trash": "trash-2",
    "new-window": "app-window",
    "sidebar": "panel-left",
    "tool-panel": "panel-right",
    "settings": "settings",
    "share": "share-2",
    "mark": "sparkles",
    "light": "sun",
    "dark": "moon",
    "tool": "wrench",
    "terminal": "terminal",
    "allowed": "circle-check",
    "denied": "circle-x",
    "warning": "circle-alert",
    "assistant": "bot",
    "user": "user",
    "export": "download",
    "reasoning": "brain",
    "filter": "list-filter",
    "conversation": "message-square",
    "menu": "menu",
    "folder": "folder-open",
}


@cache
def _svg(file_name: str) -> str:
    return (ICON_DIR / f"{file_name}.svg").read_text(encoding="utf-8")


def svg_text(name: str, colour: str) -> str:
    """The icon's SVG drawn in ``colour`` (a ``#rrggbb`` name)."""
    return _svg(NAMES.get(name, name)).replace("currentColor", colour)


class PaletteIconEngine(QIconEngine):
    """Renders one SVG in the colour the palette gives for the icon's mode, at any size."""

    def __init__(self, name: str, role: QPalette.ColorRole = QPalette.ColorRole.ButtonText) -> None:
        super().__init__()
        self.name = name
        self.role = role
        self._renderers: dict[str, QSvgRenderer] = {}

    def _colour(self, mode: QIcon.Mode) -> QColor:
        palette = QGuiApplication.palette()
        if mode == QIcon.Mode.Disabled:
            return palette.color(QPalette.ColorGroup.Disabled, self.role)
        if mode == QIcon.Mode.Selected:
            return palette.color(QPalette.ColorRole.HighlightedText)
        return palette.color(self.role)

    def _renderer(self, colour: QColor) -> QSvgRenderer:
        key = colour.name()
        renderer = self._renderers.get(key)
        if renderer is None:
            renderer = QSvgRenderer(QByteArray(svg_text(self.name, key).encode()))
            self._renderers[key] = renderer
        return renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        side = min(rect.width(), rect.height())
        square = QRect(0, 0, side, side)
        square.moveCenter(rect.center())
        self._renderer(self._colour(mode)).render(painter, square)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _kept(PaletteIconEngine(self.name, self.role))

    def key(self) -> str:
        return "copilot-desktop-palette-svg"


# Qt's QIcon keeps a raw pointer to its engine, which PySide6 does not take over: an engine whose
# Python object is collected leaves every icon drawn with it dangling (a crash, seen in the tests).
# So engines live as long as the app, one per icon name and colour role (and any clone Qt asks for).
_ENGINES: list[PaletteIconEngine] = []


def _kept(engine: PaletteIconEngine) -> PaletteIconEngine:
    _ENGINES.append(engine)
    return engine


@cache
def icon(name: str, role: QPalette.ColorRole = QPalette.ColorRole.ButtonText) -> QIcon:
    """The app's icon for ``name`` (a key of ``NAMES`` or a Lucide file name), in the palette's colours."""
    return QIcon(_kept(PaletteIconEngine(name, role)))


def available() -> list[str]:
    """Every name ``icon`` knows whose SVG ships with the app."""
    return sorted(name for name, file in NAMES.items() if (ICON_DIR / f"{file}.svg").is_file())
