"""A permission request between the card, the tool panel's buttons and the controller."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from desktop_app.core.vocabulary.events import PermissionAnswered
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, PermissionPrompt
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.tools.permission_card import PermissionCard
from desktop_app.ui.tools.tool_panel import ToolPanel


class PermissionRequests(QObject):
    """A request takes the keyboard's focus (never an Allow button) and notifies a user who is away;
    it can be answered on the card or from the tool panel; answered, the composer has the focus."""

    def __init__(
        self,
        controller: ChatController,
        card: PermissionCard,
        tool_panel: ToolPanel,
        composer: QWidget,
        notify: Callable[[str, str], None],
        follow_panel: Callable[[], None],
    ) -> None:
        super().__init__(card)
        self._controller = controller
        self._card = card
        self._tool_panel = tool_panel
        self._composer = composer
        self._notify = notify
        self._follow_panel = follow_panel

    def _call_id(self, prompt: PermissionPrompt) -> str:
        """The panel's id of the call a request is about (a reused CLI id means the newest call)."""
        call = self._controller.tools.current(prompt.tool_call_id or prompt.prompt_id)
        return call.id if call is not None else prompt.tool_call_id or prompt.prompt_id

    @Slot(PermissionPrompt)
    def asked(self, prompt: PermissionPrompt) -> None:
        self._card.ask(prompt)
        self._follow_panel()
        self._tool_panel.select(self._call_id(prompt))
        self._notify("Copilot is waiting for your approval", prompt.summary)
        self._card.take_focus()  # the request, never an Allow button

    @Slot(PermissionAnswered)
    def answered(self, event: PermissionAnswered) -> None:
        self._card.resolved(event.prompt.prompt_id)
        if not self._card.isVisible():
            self._composer.setFocus()

    @Slot(str, Answer)
    def answer(self, prompt_id: str, answer: Answer) -> None:
        self._controller.answer_permission(prompt_id, answer)

    @Slot(str, str)
    def answer_from_panel(self, call_id: str, choice: str) -> None:
        card = self._card
        prompt = next((p for p in card.waiting if self._call_id(p) == call_id), None)
        if prompt is None:
            return
        card.show_first(prompt.prompt_id)
        if choice == "more":
            card.take_focus()
            return
        card.resolved(prompt.prompt_id)
        self._controller.answer_permission(prompt.prompt_id, Answer(Choice(choice)))
