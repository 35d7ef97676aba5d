"""The app's look: follow the system (light or dark), or the user's choice, everywhere at once.

A manual choice switches the whole app to Qt's Fusion style with a light or dark palette; the chat
view follows any palette change (its code highlighting included), so one call restyles every window.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from desktop_app.ui.platform.focus_ring import with_focus_rings

CHOICES = ("system", "light", "dark")
_system_style: str | None = None


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#303134",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2d2e31",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.Highlight: "#3d5a99",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    }
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f7378"))
    return palette


def apply(app: QApplication, choice: str) -> None:
    """'system' follows the desktop (and its light/dark switches); 'light'/'dark' override it."""
    global _system_style
    if _system_style is None:
        style = app.style()
        _system_style = style.name() if style is not None else "fusion"
    # Every choice draws focus rings over its style (see ui.platform.focus_ring).
    if choice == "dark":
        app.setStyle(with_focus_rings(QStyleFactory.create("Fusion")))
        app.setPalette(dark_palette())
    elif choice == "light":
        app.setStyle(with_focus_rings(QStyleFactory.create("Fusion")))
        style = app.style()
        app.setPalette(style.standardPalette() if style is not None else QPalette())
    else:
        app.setStyle(with_focus_rings(QStyleFactory.create(_system_style)))
        # An empty palette hands the palette back to the platform theme, which then follows the
        # desktop's light/dark switches again (a palette set explicitly would pin it).
        app.setPalette(QPalette())
