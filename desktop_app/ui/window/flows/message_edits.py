"""Edit, Regenerate, Branch from here and a prompt's versions, between the view, the composer and the
controller.

**Edit** puts the prompt (and its attachments) in the composer under a banner saying what sending
will do; Send then replaces it (``TurnVersions.edit``), and Cancel or Esc gives the composer back
what it held. **Regenerate** asks the reply's prompt again, with the same model or, from its menu,
another one. **Branch from here** opens the new conversation in a window beside this one. Each is on
the message's hover bar and in its context menu, with the same names; Previous version and Next
version are in the menu, and on screen as < 2/3 > under the prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from desktop_app.core.storage.models import ConversationWithMessages
from desktop_app.core.vocabulary.access import Mode
from desktop_app.core.vocabulary.attachments import Attachment
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.conversation.actions.message_actions import Choice, MessageAction
from desktop_app.ui.conversation.actions.restore_dialog import ask_restore
from desktop_app.ui.conversation.actions.version_navigator import NEXT, PREVIOUS
from desktop_app.ui.conversation.chat_view import ChatView
from desktop_app.ui.conversation.composer import Composer
from desktop_app.ui.conversation.composer.attachment_tray import AttachmentTray
from desktop_app.ui.conversation.composer.edit_banner import EditBanner
from desktop_app.ui.conversation.view.rows import Row, RowKind
from desktop_app.ui.window.flows.settings_choices import SettingsChoices

if TYPE_CHECKING:  # an annotation only: the vocabulary comes with the first restore
    from desktop_app.core.vocabulary.checkpoints import RewindPreview

EDIT, REGENERATE, BRANCH, RESTORE = "Edit", "Regenerate", "Branch from here", "Restore checkpoint"
REGENERATE_WITH = "Regenerate with"


@dataclass
class _Editing:
    message_id: str
    kept_text: str  # what the composer held before the edit
    kept_attachments: list[Attachment]


def _saved(kind: RowKind) -> Callable[[Row], bool]:
    return lambda row: row.kind is kind and row.message_id is not None


class MessageEdits(QObject):
    def __init__(
        self,
        controller: ChatController,
        view: ChatView,
        composer: Composer,
        tray: AttachmentTray,
        banner: EditBanner,
        choices: SettingsChoices,
        open_beside: Callable[[str], None],
        save_draft: Callable[[], None],
    ) -> None:
        super().__init__(view)
        self._controller = controller
        self._view = view
        self._composer = composer
        self._tray = tray
        self._banner = banner
        self._choices = choices
        self._save_draft = save_draft
        self.editing: _Editing | None = None
        actions = view.message_actions
        actions.add(MessageAction(EDIT, "edit", self.start_edit, _saved(RowKind.USER)))
        actions.add(
            MessageAction(
                REGENERATE,
                "regenerate",
                self.regenerate,
                _saved(RowKind.REPLY),
                choices=self.other_models,
                choices_title=REGENERATE_WITH,
            )
        )
        is_message = lambda row: row.message_id is not None and row.kind in (RowKind.USER, RowKind.REPLY)  # noqa: E731
        actions.add(MessageAction(BRANCH, "branch", self.branch, is_message))
        in_agent_mode = lambda row: _saved(RowKind.USER)(row) and controller.access().mode is Mode.AGENT  # noqa: E731
        actions.add(MessageAction(RESTORE, "checkpoint", self.offer_restore, in_agent_mode))
        has_before = lambda row: row.version is not None and row.version[0] > 1  # noqa: E731
        has_after = lambda row: row.version is not None and row.version[0] < row.version[1]  # noqa: E731
        actions.add(MessageAction(PREVIOUS, "back", lambda i: self.step(i, -1), has_before, on_hover=False))
        actions.add(MessageAction(NEXT, "forward", lambda i: self.step(i, 1), has_after, on_hover=False))
        view.version_step.connect(self._step_to)
        banner.cancelled.connect(self.cancel_edit)
        composer.stop_requested.connect(self.cancel_edit)  # Esc
        controller.versions.branch_opened.connect(open_beside)
        controller.versions.restore_offered.connect(self._ask_restore)
        controller.versions.restored.connect(self._restored)
        self.restore_box: QMessageBox | None = None
        controller.conversation_opened.connect(self._opened)
        controller.busy_changed.connect(self._busy_changed)
        controller.user_message.connect(lambda _text: self.refresh())

    # -- the actions ------------------------------------------------------------------------------
    def _message_id(self, index: int) -> str | None:
        rows = self._view.rows
        return rows[index].message_id if 0 <= index < len(rows) else None

    def start_edit(self, index: int) -> None:
        """The prompt into the composer, to be changed and sent in its place."""
        message_id = self._message_id(index)
        if message_id is None:
            return
        row = self._view.rows[index]
        if self.editing is None:  # a second Edit keeps what the composer held before the first
            self.editing = _Editing(message_id, self._composer.toPlainText(), self._tray.attachments)
        else:
            self.editing.message_id = message_id
        self._tray.set_attachments(row.attachments)
        self._view.show_editing(message_id)
        self._composer.setPlainText(row.source)
        self._composer.moveCursor(QTextCursor.MoveOperation.End)
        self._banner.show()
        self._composer.setFocus()

    @Slot()
    def cancel_edit(self) -> None:
        editing, self.editing = self.editing, None
        if editing is None:
            return
        self._banner.hide()
        self._view.show_editing(None)
        self._composer.setPlainText(editing.kept_text)
        self._tray.set_attachments(editing.kept_attachments)
        self._save_draft()

    def send_edit(self, text: str) -> bool:
        """Send: True when it was an edit (sent in place of the prompt)."""
        editing = self.editing
        if editing is None:
            return False
        if not text.strip() and not self._tray.attachments:
            return True
        self.editing = None
        self._banner.hide()
        self._view.show_editing(None)
        self._controller.versions.edit(editing.message_id, text, self._tray.attachments)
        self._composer.setPlainText(editing.kept_text)
        self._tray.set_attachments(editing.kept_attachments)
        self._save_draft()  # before the conversation is shown again with its draft
        return True

    def regenerate(self, index: int) -> None:
        message_id = self._message_id(index)
        if message_id is not None:
            self._controller.versions.regenerate(message_id)

    def other_models(self, index: int) -> list[Choice]:
        """Regenerate with each other usable model on offer."""
        current = self._controller.settings.model
        offered = [m for m in self._controller.models.models if m.usable and m.id != current]
        return [(model.label, self._with(index, model.id)) for model in offered]

    def _with(self, index: int, model: str) -> Callable[[], None]:
        return lambda: self._regenerate_with(index, model)

    def _regenerate_with(self, index: int, model: str) -> None:
        message_id = self._message_id(index)
        settings = self._choices.with_model(model)
        if message_id is None:
            return
        self._controller.versions.regenerate(message_id, settings)
        if settings is not None:
            self._choices.remember(settings)

    def branch(self, index: int) -> None:
        message_id = self._message_id(index)
        if message_id is not None:
            self._controller.versions.branch(message_id)

    def offer_restore(self, index: int) -> None:
        message_id = self._message_id(index)
        if message_id is not None:
            self._controller.versions.offer_restore(message_id)

    @Slot(str, object)
    def _ask_restore(self, message_id: str, preview: RewindPreview) -> None:
        folder = self._controller.access().working_directory
        restore = lambda files: self._controller.versions.restore(message_id, files)  # noqa: E731
        self.restore_box = ask_restore(self._view, preview, folder, restore)

    @Slot(str)
    def _restored(self, prompt: str) -> None:
        """Back before the prompt: it waits in the composer, to send again or change."""
        if not self._composer.toPlainText().strip():
            self._composer.setPlainText(prompt)
            self._composer.moveCursor(QTextCursor.MoveOperation.End)
            self._save_draft()
        self._composer.setFocus()

    def step(self, index: int, step: int) -> None:
        message_id = self._message_id(index)
        if message_id is not None:
            self._step_to(message_id, step)

    @Slot(str, int)
    def _step_to(self, message_id: str, step: int) -> None:
        self._controller.versions.step(message_id, step)

    # -- keeping the view's ids and versions right -------------------------------------------------
    def refresh(self) -> None:
        """Rows sent here learn their stored ids; prompts with versions show < n/m >."""
        store, conversation = self._controller.store, self._controller.conversation
        if store is not None and conversation is not None:
            self._view.adopt_ids(store.messages(conversation.id))
        places = self._controller.versions.places()
        self._view.show_versions({mid: (place.position, place.count) for mid, place in places.items()})

    @Slot(object)
    def _opened(self, _opened: ConversationWithMessages | None) -> None:
        self.cancel_edit()
        QTimer.singleShot(0, self.refresh)  # once the view shows the conversation's rows

    @Slot(bool)
    def _busy_changed(self, busy: bool) -> None:
        if not busy:
            self.refresh()
