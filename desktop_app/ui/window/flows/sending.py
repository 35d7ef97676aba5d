"""Sending from the composer: Send or Stop, the prompts that wait their turn, the saved draft, and
the earlier prompts Up, Down and Ctrl+R recall."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPushButton

from desktop_app.core.storage.prompts import earlier_prompts
from desktop_app.core.vocabulary.notices import Phase
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.conversation.composer import Composer
from desktop_app.ui.conversation.composer.attachment_tray import AttachmentTray
from desktop_app.ui.conversation.composer.prompt_recall import PromptRecall
from desktop_app.ui.conversation.composer.send_button import show_busy
from desktop_app.ui.conversation.pending_bar import PendingBar

DRAFT_SAVE_DELAY_MS = 400  # typing pauses this long before the draft is written


class Sending(QObject):
    """Between the composer, the Send/Stop button, the waiting prompts' bar and the controller."""

    def __init__(
        self,
        controller: ChatController,
        composer: Composer,
        send_button: QPushButton,
        pending_bar: PendingBar,
        tray: AttachmentTray | None = None,
    ) -> None:
        super().__init__(composer)
        self._controller = controller
        self._composer = composer
        self._send_button = send_button
        self._pending_bar = pending_bar
        self._tray = tray  # the attachments the next prompt carries
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_SAVE_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        composer.setPlainText(controller.draft())
        self.recall = PromptRecall(composer, self.earlier_prompts)
        self.intercept: Callable[[str], bool] = lambda _text: False  # True: sent otherwise (an edit)
        self.run_command: Callable[[str], bool] = lambda _text: False  # a /command: run, not sent

    def earlier_prompts(self) -> list[str]:
        """This conversation's prompts, then every conversation's, newest first (none unsaved)."""
        store, conversation = self._controller.store, self._controller.conversation
        if store is None:
            return []
        return earlier_prompts(store.db, conversation.id if conversation is not None else None)

    @Slot(str)
    def send(self, text: str) -> None:
        if self.intercept(text):
            return
        if self.run_command(text):
            self._composer.clear()
            return
        attachments = self._tray.attachments if self._tray is not None else []
        if self._controller.send(text, attachments):
            self._composer.clear()
            if self._tray is not None:
                self._tray.clear()

    @Slot()
    def send_or_stop(self) -> None:
        if self._controller.busy:
            self._controller.stop()
        else:
            self._composer.submit()

    @Slot()
    def show_pending(self) -> None:
        c = self._controller
        self._pending_bar.show_pending(c.pending, c.wait_reason(), c.busy, c.live.steering)

    @Slot(int)
    def edit_pending(self, key: int) -> None:
        """A waiting prompt back in the composer, before what is typed there now."""
        prompt = self._controller.take_pending(key)
        if prompt is None:
            return
        if self._tray is not None and prompt.attachments:
            self._tray.add(prompt.attachments)
        composer = self._composer
        typed = composer.toPlainText()
        composer.setPlainText(prompt.text + (f"\n{typed}" if typed.strip() else ""))
        composer.moveCursor(QTextCursor.MoveOperation.End)
        composer.setFocus()

    def show_busy(self, busy: bool) -> None:
        show_busy(self._send_button, busy)  # the round button: Stop while a reply streams
        self.show_pending()

    @Slot(Phase)
    def phase_changed(self, phase: Phase) -> None:
        # Sending while Copilot starts keeps the prompt until it can go; Enter still says why when
        # nothing can go (the button is off then).
        self._send_button.setEnabled(self._controller.refusal() is None or self._controller.busy)
        if phase is Phase.READY:
            self._pending_bar.clear_refusal()
        self.show_pending()

    @Slot()
    def draft_changed(self) -> None:
        """Typing: the draft is saved once typing pauses."""
        self._draft_timer.start()

    @Slot()
    def save_draft(self) -> None:
        self._draft_timer.stop()
        self._controller.save_draft(self._composer.toPlainText())

    def focus_composer(self) -> None:
        self._composer.setFocus()

    def show_draft(self, text: str) -> None:
        """Another conversation's draft in the composer (not a change to save)."""
        self._draft_timer.stop()
        self.recall.reset()
        self._composer.blockSignals(True)
        self._composer.setPlainText(text)
        self._composer.blockSignals(False)
