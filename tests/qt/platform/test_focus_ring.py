"""Focus rings: every theme's style draws a 2 px highlight ring round the control with the keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui.platform.focus_ring import FocusRingStyle
from desktop_app.ui.settings import appearance


@pytest.fixture
def app() -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    yield app
    appearance.apply(app, "system")


def ring_pixels(image: QImage, colour: QColor) -> int:
    """Pixels of ``colour`` on the image's one-pixel border band (where the ring runs)."""
    found = 0
    for x in range(image.width()):
        for y in (1, image.height() - 2):
            found += image.pixelColor(x, y) == colour
    return found


@pytest.mark.parametrize("theme", ["light", "dark", "system"])
def test_every_theme_draws_rings(app: QApplication, theme: str) -> None:
    appearance.apply(app, theme)
    assert isinstance(app.style(), FocusRingStyle)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("kind", [QPushButton, QToolButton, QComboBox, QLineEdit])
def test_the_focused_control_shows_a_ring(
    qtbot: QtBot, app: QApplication, theme: str, kind: type[QWidget]
) -> None:
    appearance.apply(app, theme)
    holder = QWidget()
    qtbot.addWidget(holder)
    control = kind(holder)
    other = QLineEdit(holder)
    other.move(0, 60)
    if isinstance(control, (QPushButton, QToolButton)):
        control.setText("Button")
    control.resize(120, 32)
    holder.resize(200, 120)
    holder.show()
    holder.activateWindow()
    qtbot.waitExposed(holder)
    highlight = app.palette().color(QPalette.ColorRole.Highlight)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    before = ring_pixels(control.grab().toImage(), highlight)
    control.setFocus()
    qtbot.waitUntil(control.hasFocus)
    after = ring_pixels(control.grab().toImage(), highlight)
    assert after > before + control.width()  # a ring along the top and the bottom
