"""Settings → Customize: the instructions in effect and where each comes from, the user's own
instructions, the skills (each can be switched off) and the extra folders Agent mode may use.

The instructions and skills are the open conversation's live session's, as the CLI reports them; the
rest is the app's ``customization.json``, which every session starts (or is resumed) with.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.config.customization import Customization
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.customization import SessionCustomization
from desktop_app.ui.controller.customizing import Customizing
from desktop_app.ui.platform.tasks import TaskGroup

log = logging.getLogger(__name__)

NO_SESSION = "Open a conversation in Agent mode to see the instructions and skills its session uses."


class CustomizePage(QWidget):
    def __init__(self, customizing: Customizing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.customizing = customizing
        self.setAccessibleName("Customize")
        self._tasks = TaskGroup("customize")
        self.instructions = QListWidget(self)
        self.instructions.setAccessibleName("Instructions in effect")
        self.instructions.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.instructions.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # long paths: both ends show
        self.instructions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.own = QPlainTextEdit(self)
        self.own.setAccessibleName("Your instructions")
        self.own.setTabChangesFocus(True)
        self.own.setPlaceholderText("e.g. Answer in British English. Prefer pytest over unittest.")
        self.skills = QListWidget(self)
        self.skills.setAccessibleName("Skills")
        self.folders = QListWidget(self)
        self.folders.setAccessibleName("Extra folders")
        self.add_button = QPushButton("Add folder…", self)
        self.add_button.clicked.connect(self._pick_folder)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self._remove_folder)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        for title, widget, stretch in (
            ("Instructions in effect (the open conversation's)", self.instructions, 2),
            ("Your instructions (for every conversation)", self.own, 2),
            ("Skills (untick to switch one off)", self.skills, 2),
            ("Extra folders the agent may use (Agent mode)", self.folders, 1),
        ):
            label = QLabel(title, self)
            label.setBuddy(widget)
            layout.addWidget(label)
            layout.addWidget(widget, stretch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)
        self._loaded = Customization()
        self._found_skills: set[str] = set()

    def load(self) -> None:
        """The saved customization now, and the live session's sources as soon as the CLI says."""
        saved = self._loaded = self.customizing.saved
        self.own.setPlainText(saved.user_instructions)
        self.folders.clear()
        self.folders.addItems(list(saved.additional_directories))
        self.show_session(SessionCustomization())
        self.status.setText("Asking Copilot what the conversation uses…")
        if self._tasks.spawn_if_looping(self._read()) is None:
            self.status.clear()

    async def _read(self) -> None:
        try:
            found = await self.customizing.read()
        except Exception as exc:
            self.status.setText(f"Could not ask Copilot: {describe_error(exc)}")
            return
        self.show_session(found)
        self.status.clear()

    def show_session(self, found: SessionCustomization) -> None:
        self.instructions.clear()
        for source in found.instructions:
            same = source.path in (source.label, "")
            item = QListWidgetItem(source.label if same else f"{source.label}  —  {source.path}")
            item.setToolTip(f"{source.location}: {source.path}")
            self.instructions.addItem(item)
        if not found.instructions and not found.skills:
            self.instructions.addItem(NO_SESSION)
        self.skills.clear()
        self._found_skills = {skill.name for skill in found.skills}
        for skill in found.skills:
            item = QListWidgetItem(f"{skill.name}  ({skill.source})")
            item.setData(Qt.ItemDataRole.UserRole, skill.name)
            item.setToolTip(skill.description)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            off = skill.name in self._loaded.disabled_skills
            item.setCheckState(Qt.CheckState.Unchecked if off else Qt.CheckState.Checked)
            self.skills.addItem(item)

    def add_folder(self, path: str) -> None:
        if path and not self.folders.findItems(path, Qt.MatchFlag.MatchExactly):
            self.folders.addItem(path)

    @Slot()
    def _pick_folder(self) -> None:
        self.add_folder(QFileDialog.getExistingDirectory(self, "A folder the agent may use"))

    @Slot()
    def _remove_folder(self) -> None:
        for item in self.folders.selectedItems():
            self.folders.takeItem(self.folders.row(item))

    def values(self) -> Customization:
        """The customization as the page shows it (skills it did not list stay as they were)."""
        off = [n for n in self._loaded.disabled_skills if n not in self._found_skills]
        for row in range(self.skills.count()):
            item = self.skills.item(row)
            if item.checkState() is Qt.CheckState.Unchecked:
                off.append(str(item.data(Qt.ItemDataRole.UserRole)))
        folders = tuple(self.folders.item(row).text() for row in range(self.folders.count()))
        return replace(
            self.customizing.saved,  # the agents chosen meanwhile, in any window
            user_instructions=self.own.toPlainText().strip(),
            disabled_skills=tuple(dict.fromkeys(off)),
            additional_directories=folders,
        )

    @property
    def changed(self) -> bool:
        new, old = self.values(), self._loaded
        return (new.user_instructions, new.disabled_skills, new.additional_directories) != (
            old.user_instructions,
            old.disabled_skills,
            old.additional_directories,
        )

    def save(self) -> None:
        """Keep the page's customization; the open conversation's session is resumed with it."""
        if self.changed:
            self.customizing.save(self.values())
            self._tasks.spawn_if_looping(self.customizing.reload())
            log.info("Customization saved")
