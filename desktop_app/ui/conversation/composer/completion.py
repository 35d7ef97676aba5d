"""Completion in the composer: ``/`` at the start lists the window's slash commands, ``@`` (in Agent
mode) the files of the working folder; typing filters, Up/Down move, Tab or Enter choose, Esc closes.

Tab on a command completes its name; Enter also runs it when it takes nothing after the name. A file
chosen becomes an attachment, and its ``@name`` leaves the text. The editor keeps the keyboard
throughout: this filters its keys while the list shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QFocusEvent, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QWidget

from desktop_app.core.conversation import file_mentions, slash_commands
from desktop_app.core.conversation.file_mentions import Mention
from desktop_app.core.conversation.slash_commands import SlashCommand
from desktop_app.ui.conversation.composer.completion_popup import Choice, CompletionPopup
from desktop_app.ui.conversation.composer.editor import Composer

COMMANDS_TITLE = "Slash commands"
FILES_TITLE = "Files in the working folder"
CHOOSE_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class Completion(QObject):
    """Between the composer and its completion list.

    ``commands`` gives the catalogue at the moment, ``folder`` the working folder (None outside Agent
    mode: no ``@`` completion), ``attach`` takes a chosen file.
    """

    def __init__(
        self,
        composer: Composer,
        anchor: QWidget,
        host: QWidget,
        commands: Callable[[], Sequence[SlashCommand]],
        folder: Callable[[], Path | None],
        attach: Callable[[Path], None],
    ) -> None:
        super().__init__(composer)
        self._composer = composer
        self._anchor = anchor  # the popup opens above it
        self._commands = commands
        self._folder = folder
        self._attach = attach
        self.popup = CompletionPopup(host)
        self.popup.clicked.connect(self._choose)
        self._mention: Mention | None = None
        self._files: tuple[Path, list[str]] | None = None  # the folder's files, read once per mention
        self._closed_for: str | None = None  # Esc closed the list for this text: not again until it changes
        composer.textChanged.connect(self.refresh)
        composer.cursorPositionChanged.connect(self.refresh)
        composer.installEventFilter(self)
        if anchor is not composer:
            anchor.installEventFilter(self)

    @property
    def open(self) -> bool:
        return self.popup.isVisible()

    @Slot()
    def refresh(self) -> None:
        """Open, filter or close the list for the text and cursor now."""
        text = self._composer.toPlainText()
        if self._closed_for is not None:
            if text == self._closed_for:
                return
            self._closed_for = None
        choices, title = self._slash_choices(text)
        if not choices:
            choices, title = self._file_choices(text)
        if not choices:
            self.close()
            return
        self.popup.set_choices(choices, title)
        self.popup.show_over(self._anchor)

    def _slash_choices(self, text: str) -> tuple[list[Choice], str]:
        prefix = slash_commands.completing(text)
        if prefix is None:
            return [], ""
        self._mention = None
        found = slash_commands.matching(self._commands(), prefix)
        return [Choice(f"/{c.name}", c.description, c.name) for c in found], COMMANDS_TITLE

    def _file_choices(self, text: str) -> tuple[list[Choice], str]:
        folder = self._folder()
        cursor = self._composer.textCursor().position()
        self._mention = file_mentions.mention_at(text, cursor) if folder is not None else None
        if folder is None or self._mention is None:
            self._files = None
            return [], ""
        if self._files is None or self._files[0] != folder:
            self._files = (folder, file_mentions.list_files(folder))
        found = file_mentions.matching_files(self._files[1], self._mention.prefix)
        return [Choice(path.rpartition("/")[2], path, path) for path in found], FILES_TITLE

    def close(self) -> None:
        self.popup.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self.open:
            return False
        if watched is self._anchor and kind in (QEvent.Type.Resize, QEvent.Type.Move):
            self.popup.show_over(self._anchor)  # the card grew with the text, or the window changed
            return False
        if watched is self._composer and kind == QEvent.Type.FocusOut:
            if isinstance(event, QFocusEvent) and event.reason() is not Qt.FocusReason.PopupFocusReason:
                self.close()  # the list is the editor's: it goes with the keyboard
            return False
        if watched is not self._composer or kind != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and key != Qt.Key.Key_Tab:
            return False  # Shift+Enter still adds a line
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.popup.step(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key == Qt.Key.Key_Escape:
            self._closed_for = self._composer.toPlainText()
            self.close()
            return True
        if key in CHOOSE_KEYS:
            choice = self.popup.current()
            if choice is not None:
                self._choose(choice, run=key != Qt.Key.Key_Tab)
                return True
        return False

    @Slot(Choice)
    def _choose(self, choice: Choice, run: bool = True) -> None:
        if self._mention is not None:
            self._choose_file(choice, self._mention)
        else:
            self._choose_command(choice, run)

    def _choose_command(self, choice: Choice, run: bool) -> None:
        command = slash_commands.find(self._commands(), choice.value)
        self._composer.setPlainText(
            f"/{choice.value}" + ("" if run and command and not command.hint else " ")
        )
        self._composer.moveCursor(QTextCursor.MoveOperation.End)
        self.close()
        if run and command is not None and not command.hint:
            self._composer.submit()
        self._composer.setFocus()

    def _choose_file(self, choice: Choice, mention: Mention) -> None:
        folder = self._folder()
        path = file_mentions.inside(folder, choice.value) if folder is not None else None
        cursor = self._composer.textCursor()
        cursor.setPosition(mention.start)
        cursor.setPosition(mention.start + 1 + len(mention.prefix), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._composer.setTextCursor(cursor)
        self._mention = None
        self.close()
        if path is not None:
            self._attach(path)
        self._composer.setFocus()
