"""What the user chooses here about the model: the Settings dialog, a model and its reasoning effort
from the composer's chips, the demo."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from desktop_app.core.config.settings import Settings, Source
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.window.chrome.session_chips import SessionChips

if TYPE_CHECKING:  # imported when first opened (~7 ms), not while the window opens
    from desktop_app.ui.settings.settings_dialog import SettingsDialog


class SettingsChoices(QObject):
    """Applies each choice through the controller and hands it to ``chosen`` (the app saves it)."""

    def __init__(
        self,
        controller: ChatController,
        chips: SessionChips,
        chosen: Callable[[Settings], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._chips = chips
        self._chosen = chosen
        self._parent = parent
        self.dialog: SettingsDialog | None = None
        self.sign_in: Callable[[], None] = lambda: None  # the window's sign-in (set once it exists)

    @Slot()
    def open_settings(self) -> None:
        if self.dialog is None:
            from desktop_app.ui.settings.settings_dialog import SettingsDialog

            self.dialog = SettingsDialog(self._controller, self._parent)
            self.dialog.settings_accepted.connect(self._accepted)
            self.dialog.sign_in_requested.connect(lambda: self.sign_in())
        self.dialog.load()
        self.dialog.open()  # not exec(): no nested event loop under qasync

    @Slot(Settings)
    def _accepted(self, settings: Settings) -> None:
        self._chosen(settings)
        self._controller.apply_settings(settings)

    @Slot(int)
    def model_picked(self, index: int) -> None:
        self.choose_model(self._chips.picked_model(index) or self._chips.typed_model())

    @Slot()
    def model_typed(self) -> None:
        self.choose_model(self._chips.typed_model())

    @Slot(int)
    def effort_picked(self, index: int) -> None:
        """A level for this conversation ("": the model's default)."""
        effort = self._chips.effort_picker.itemData(index)
        if isinstance(effort, str) and effort != self._controller.models.effort():
            self._controller.models.choose_effort(effort)

    def choose_model(self, name: str) -> None:
        new = self.with_model(name)
        if new is not None:
            self._controller.apply_settings(new)
            self._chosen(new)

    def with_model(self, name: str) -> Settings | None:
        """The settings with ``name`` as the model (None: it is the model already, or the demo)."""
        name = name.strip()
        settings = self._controller.settings
        if not name or name == settings.model or settings.source is Source.DEMO:
            return None
        field = "endpoint_model" if settings.source is Source.ENDPOINT else "copilot_model"
        return settings.with_overrides(**{field: name})

    def remember(self, settings: Settings) -> None:
        """Settings applied elsewhere (Regenerate with another model), for the app to keep."""
        self._chosen(settings)

    @Slot()
    def use_demo(self) -> None:
        new = self._controller.settings.with_overrides(source=Source.DEMO)
        self._controller.apply_settings(new)
