"""Plan mode in the window: the plan card follows the session's plan, its answers go to the CLI, and
the conversation's mode follows the CLI when it leaves plan mode itself (once a plan is approved)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from desktop_app.core.vocabulary.access import Mode, ToolAccess
from desktop_app.core.vocabulary.plan_events import CliModeChanged, PlanAsked, PlanSettled, PlanShown
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.tools.plan_panel import PlanPanel


class PlanMode(QObject):
    def __init__(self, controller: ChatController, panel: PlanPanel, parent: QObject) -> None:
        super().__init__(parent)
        self._controller = controller
        self._panel = panel
        panel.setVisible(False)
        controller.bridge.plan_event.connect(self.on_event)
        controller.access_changed.connect(self._follow)
        controller.conversation_opened.connect(self._opened)
        panel.start_building.connect(lambda: self._answer(True, ""))
        panel.keep_planning.connect(lambda feedback: self._answer(False, feedback))

    @Slot(object)
    def on_event(self, event: object) -> None:
        match event:
            case PlanShown(content=content):
                self._panel.show_plan(content)
            case PlanAsked(summary=summary, content=content):
                if content:
                    self._panel.show_plan(content)
                self._panel.ask(summary)
            case PlanSettled():
                self._panel.settled()
            case CliModeChanged(mode=mode):
                access = self._controller.access()
                if access.mode.agentic and Mode.of_cli(mode) is not access.mode:
                    self._controller.set_access(ToolAccess(Mode.of_cli(mode), access.working_directory))
        self._follow(self._controller.access())

    def _answer(self, approved: bool, feedback: str) -> None:
        session = self._controller.session
        if session is not None:
            session.plan.answer(approved, feedback)

    @Slot(ToolAccess)
    def _follow(self, access: ToolAccess) -> None:
        """The card shows in Plan mode once there is a plan, and while a request to build waits."""
        has_plan = bool(self._panel.content.strip())
        self._panel.setVisible((access.mode is Mode.PLAN and has_plan) or self._panel.asking)

    @Slot(object)
    def _opened(self, _conversation: object) -> None:
        self._panel.clear()
        self._follow(self._controller.access())
