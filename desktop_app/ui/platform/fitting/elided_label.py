"""A one-line label that elides its text to the width it gets, and never asks for more.

A plain ``QLabel`` asks for its whole text as its minimum width, so a long command, URL or status
text widens the window. This one keeps the full text (and shows it as its tooltip when it does not
fit), shows what fits with an ellipsis, and asks only for a few characters. Text is always plain:
a link, when given, is shown as an escaped anchor around the (escaped) elided text, in the current
theme's link colour (Qt fixes a rich-text link's colour when the text is set, so it is set again on
a theme switch).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from desktop_app.core.rendering.sanitize import rich_text_tooltip
from desktop_app.ui.platform.live_palette import follow_palette, tint

MIN_CHARS = 6  # the least it asks for: enough for "ab…" to say something is there


class ElidedLabel(QLabel):
    """``text()`` (and ``full_text``) is what was set, as for a QLabel; ``shown_text()`` is what is
    on screen, elided to the width. An owner's tooltip goes through ``set_tip``."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        # Attributes first: sizeHint and resizeEvent use them, and Qt may call them from __init__.
        self._full = text
        self._href = ""
        self._mode = mode
        self._tip = ""  # a tooltip the owner set; the full text is shown when there is none
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        follow_palette(self, self._refit)

    @property
    def full_text(self) -> str:
        return self._full

    def text(self) -> str:  # type: ignore[override]  # the whole text, whatever is on screen
        return self._full

    def shown_text(self) -> str:
        """What is on screen: the text elided to the width (markup, when it is a link)."""
        return super().text()

    def setText(self, text: str) -> None:  # type: ignore[override]  # plain text only, by design
        self._full = text
        self._href = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._refit()
        self.updateGeometry()

    def set_link(self, text: str, href: str) -> None:
        """Show ``text`` (elided) as a link to ``href``; both are escaped, never markup."""
        self._full = text
        self._href = href
        self.setTextFormat(Qt.TextFormat.RichText)
        self._refit()
        self.updateGeometry()

    def set_tip(self, tip: str) -> None:
        """A tooltip of the owner's (plain text); without one, the full text is the tooltip when cut."""
        self._tip = tip
        self._refit()

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        width = metrics.horizontalAdvance(self._full) + margins.left() + margins.right() + 2
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        least = metrics.horizontalAdvance(self._full[:MIN_CHARS] + "…")
        width = min(least, metrics.horizontalAdvance(self._full)) + margins.left() + margins.right() + 2
        return QSize(width, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit()

    def _refit(self) -> None:
        margins = self.contentsMargins()
        room = max(0, self.width() - margins.left() - margins.right() - 2)
        metrics = self.fontMetrics()
        fits = metrics.horizontalAdvance(self._full) <= room  # elidedText's float width may not agree
        shown = self._full if fits else metrics.elidedText(self._full, self._mode, room)
        cut = shown != self._full
        if self._href:
            href = html.escape(self._href, quote=True)
            colour = tint(QPalette.ColorRole.Link)
            super().setText(f'<a href="{href}" style="color:{colour}">{html.escape(shown)}</a>')
        else:
            super().setText(shown)
        tip = self._tip or (self._full if cut else "")
        self.setToolTip(rich_text_tooltip(tip) if tip else "")


def wrapping_label(parent: QWidget | None = None) -> QLabel:
    """A plain-text label that wraps to the width it gets and asks for none (a long word is cut)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    # A wrapped QLabel's minimum is its longest word: a 2000-character command would be its width.
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(40)
    return label
