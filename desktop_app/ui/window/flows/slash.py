"""Slash commands and ``@file`` in the composer: the completion list over it, and a ``/command`` sent
run as one instead of going to the model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QWidget

from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.controller.slash_commands import SlashCommands
from desktop_app.ui.conversation.composer.attachment_tray import AttachmentTray
from desktop_app.ui.conversation.composer.card import ComposerCard
from desktop_app.ui.conversation.composer.completion import Completion


class SlashFlow(QObject):
    def __init__(
        self,
        controller: ChatController,
        card: ComposerCard,
        host: QWidget,
        tray: AttachmentTray,
        model_picker: QComboBox,
        new_conversation: Callable[[], object],
        show_notice: Callable[[str, str], None],
    ) -> None:
        super().__init__(host)
        self._controller = controller
        self.commands = SlashCommands(controller, new_conversation, self)
        self.commands.model_picker_wanted.connect(model_picker.showPopup)
        self.commands.said.connect(show_notice)
        self.completion = Completion(
            card.composer,
            card,
            host,
            lambda: self.commands.catalogue,
            self.agent_folder,
            lambda path: tray.add_paths([path]),
        )

    def agent_folder(self) -> Path | None:
        """The folder ``@`` lists: the working folder in Agent mode, else none."""
        access = self._controller.access()
        if not access.mode.agentic or not access.working_directory:
            return None
        return Path(access.working_directory)
