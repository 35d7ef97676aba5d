"""The app's icons: every one ships, and each is drawn in the palette's colour of the moment."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.ui.platform import icons


def _ink(image: QImage) -> set[str]:
    """The opaque colours an icon was drawn with (ignoring antialiased edges)."""
    seen = set()
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() == 255:
                seen.add(colour.name())
    return seen


def test_every_named_icon_ships_and_draws(qtbot: QtBot) -> None:
    assert icons.available() == sorted(icons.NAMES)
    for name in icons.NAMES:
        image = icons.icon(name).pixmap(QSize(24, 24)).toImage()
        assert _ink(image), name


def test_an_icon_follows_a_palette_switch_without_being_made_again(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    icon = icons.icon("copy")
    try:
        for colour in ("#ff0000", "#00ff00"):
            palette = QPalette(before)
            palette.setColor(QPalette.ColorRole.ButtonText, QColor(colour))
            app.setPalette(palette)
            assert _ink(icon.pixmap(QSize(32, 32)).toImage()) == {colour}
        disabled = icon.pixmap(QSize(32, 32), QIcon.Mode.Disabled).toImage()
        assert _ink(disabled) == {
            QGuiApplication.palette()
            .color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
            .name()
        }
    finally:
        app.setPalette(before)


def test_an_icon_copied_around_qt_still_draws(qtbot: QtBot) -> None:
    copies = [QIcon(icons.icon("send")) for _ in range(3)]
    import gc

    gc.collect()
    for copy in copies:
        assert _ink(copy.pixmap(QSize(16, 16)).toImage())
