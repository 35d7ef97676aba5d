"""Typing while the conversation has focus goes to the composer, as in Slack or Discord.

The conversation is read-only, so a printable key (or a paste) pressed there can only mean "I am
writing": it moves to the composer with the key. A click on one of the view's own links (Copy, a
tool marker, Thinking's show/hide) hands focus back to the composer at once, so Enter after it sends
the prompt instead of running the link again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from desktop_app.ui.conversation.view.interactive_view import InteractiveView

TYPING_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


def is_typing(event: QKeyEvent) -> bool:
    """A key that writes text (no Ctrl, Alt or Meta: those are shortcuts, Ctrl+C copies)."""
    text = event.text()
    if not text or not text.isprintable():
        return False
    return not (event.modifiers() & ~TYPING_MODIFIERS)


class TypeToComposer(QObject):
    """Installed on the conversation view; forwards typing and pastes to the composer."""

    def __init__(self, view: InteractiveView, composer: QPlainTextEdit) -> None:
        super().__init__(view)
        self._view = view
        self._composer = composer
        view.installEventFilter(self)
        view.link_used.connect(self._link_used)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not (watched is self._view and isinstance(event, QKeyEvent)):
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        if not (is_typing(event) or event.matches(QKeySequence.StandardKey.Paste)):
            return False
        self._composer.setFocus(Qt.FocusReason.OtherFocusReason)
        forwarded = QKeyEvent(
            event.type(), event.key(), event.modifiers(), event.text(), event.isAutoRepeat()
        )
        QApplication.sendEvent(self._composer, forwarded)
        return True

    def _link_used(self) -> None:
        self._composer.setFocus(Qt.FocusReason.OtherFocusReason)
