"""Earlier prompts in the composer: Up and Down walk them, Ctrl+R searches them (``HistorySearch``).

Up recalls only from an empty composer, or from the first line of a recalled prompt, so it never
takes the cursor keys from text being written; Down walks back towards the (empty) draft from the
last line. Editing a recalled prompt, or Esc, leaves the walk: Esc puts the draft back. The prompts
(``PromptWalk``'s list) are read when a walk or a search begins.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from desktop_app.core.conversation.prompt_history import PromptWalk
from desktop_app.ui.conversation.composer.history_search import HistorySearch

_NONE = Qt.KeyboardModifier.NoModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier


class PromptRecall(QObject):
    """Installed on the composer; ``prompts`` gives the earlier prompts, newest first."""

    def __init__(self, composer: QPlainTextEdit, prompts: Callable[[], list[str]]) -> None:
        super().__init__(composer)
        self._composer = composer
        self._prompts = prompts
        self._walk = PromptWalk()
        self._showing = False  # the text changes because a prompt is shown, not because it is edited
        self.search = HistorySearch(composer)
        self.search.chosen.connect(self._insert)
        composer.installEventFilter(self)
        composer.textChanged.connect(self._edited)

    @property
    def walking(self) -> bool:
        return self._walk.walking

    def reset(self) -> None:
        """Another conversation's draft is shown: whatever walk there was is over."""
        self._walk.leave()

    def open_search(self) -> None:
        self.search.open(self._prompts(), self._composer)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        pressed = event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
        if watched is self._composer and pressed:
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key, modifiers = event.key(), event.modifiers() & ~_KEYPAD
        if key == Qt.Key.Key_R and modifiers == Qt.KeyboardModifier.ControlModifier:
            self.open_search()
            return True
        if modifiers != _NONE:
            return False
        if key == Qt.Key.Key_Up and self._may_recall():
            prompt = self._walk.older(self._prompts(), self._composer.toPlainText())
            if prompt is not None:
                self._show(prompt)
            return self._walk.walking  # at the oldest the key does nothing
        if key == Qt.Key.Key_Down and self._walk.walking and self._at_edge(QTextCursor.MoveOperation.Down):
            prompt = self._walk.newer()
            self._show(prompt or "")
            return True
        if key == Qt.Key.Key_Escape and self._walk.walking:
            self._show(self._walk.leave())
            return True
        return False

    def _may_recall(self) -> bool:
        if self._walk.walking:
            return self._at_edge(QTextCursor.MoveOperation.Up)
        return not self._composer.toPlainText().strip()

    def _at_edge(self, direction: QTextCursor.MoveOperation) -> bool:
        """The cursor is on the first (Up) or last (Down) line shown, wrapped lines counted."""
        probe = QTextCursor(self._composer.textCursor())
        return not probe.movePosition(direction)

    def _show(self, text: str) -> None:
        self._showing = True
        try:
            self._composer.setPlainText(text)
            self._composer.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._showing = False

    def _edited(self) -> None:
        if not self._showing and self._walk.walking:
            self._walk.leave()  # the recalled prompt is the user's text now

    def _insert(self, prompt: str) -> None:
        """A prompt picked in the search goes in at the cursor (into an empty composer: as it is)."""
        self._walk.leave()
        if not self._composer.toPlainText().strip():
            self._composer.setPlainText(prompt)
            self._composer.moveCursor(QTextCursor.MoveOperation.End)
        else:
            self._composer.insertPlainText(prompt)
        self._composer.setFocus()
