"""Widgets whose colours follow the theme as it switches, on the switch and not one switch behind.

A style sheet or a colour computed once at construction keeps the theme it was made in. Instead a
widget hands ``follow_palette`` a ``restyle`` function that reads its colours from ``tint``/``tone``
(the application palette of the moment) and sets them; it runs at once, and again on every palette
or style change, whether the app's palette changed or only the widget's.

The app's palette change is heard from the application itself (``paletteChanged``): a widget whose
style sheet set colours holds a palette of its own, and Qt then tells it nothing of the app's change.

``tint`` reads the application's palette rather than the widget's: when the app's palette changes,
a widget hears ``ApplicationPaletteChange`` before its own palette is resolved again (and a widget
with a style sheet keeps the palette its style sheet made), so its own palette may still be the
old theme's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Slot
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

from desktop_app.core.rendering.colours.tones import Tones, tones_for

RESTYLE_EVENTS = frozenset(
    {QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.StyleChange}
)


def current_palette() -> QPalette:
    return QGuiApplication.palette()


def tone() -> Tones:
    """The widget tones for the current theme (light or dark, from the palette's window colour)."""
    return tones_for(current_palette().color(QPalette.ColorRole.Window).lightness())


def tint(role_or_name: QPalette.ColorRole | str) -> str:
    """A ``#rrggbb`` colour of the current theme: a palette role's, or a ``Tones`` field's by name."""
    if isinstance(role_or_name, QPalette.ColorRole):
        return current_palette().color(role_or_name).name()
    value = getattr(tone(), role_or_name)
    if not isinstance(value, str):
        raise KeyError(f"not a colour of Tones: {role_or_name!r}")
    return value


class PaletteFollower(QObject):
    """Runs ``restyle`` on the watched widget's palette and style changes (its own included)."""

    def __init__(self, widget: QWidget, restyle: Callable[[], None]) -> None:
        super().__init__(widget)
        self._restyle = restyle
        self._busy = False  # a style sheet set by restyle sends StyleChange back: not a new theme
        self.runs = 0  # how many times restyle ran (for tests)
        widget.installEventFilter(self)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.paletteChanged.connect(self._app_palette_changed)  # gone with this object

    @Slot(QPalette)
    def _app_palette_changed(self, _palette: QPalette) -> None:
        self.run()

    def run(self) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            self._restyle()
            self.runs += 1
        finally:
            self._busy = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in RESTYLE_EVENTS:
            self.run()
        return False


def follow_palette(widget: QWidget, restyle: Callable[[], None]) -> PaletteFollower:
    """Run ``restyle`` now and on every later theme change of ``widget`` (it lives as long as it)."""
    follower = PaletteFollower(widget, restyle)
    follower.run()
    return follower


def keep_style_sheet(widget: QWidget, sheet: str) -> PaletteFollower:
    """Give ``widget`` the style sheet ``sheet``, polished again on every theme switch.

    A widget with a style sheet keeps the palette it was polished with (a list stays white in the
    dark theme); setting the same sheet again is ignored, so it is cleared and set.
    """

    def restyle() -> None:
        widget.setStyleSheet("")
        widget.setStyleSheet(sheet)

    return follow_palette(widget, restyle)
