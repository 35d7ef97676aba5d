"""The custom agent at a glance, in Agent mode: a status-bar chip says which agent the conversation
uses and how many instructions are in effect; its menu lists the custom agents to choose one.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.customization import SessionCustomization
from desktop_app.ui.controller.controller import Action, ChatController
from desktop_app.ui.platform.tasks import TaskGroup

DEFAULT = "Default agent"


def chip_text(found: SessionCustomization, agent: str) -> str:
    """ "Agent: reviewer · 2 instructions" (the agent by its display name)."""
    labels = {a.name: a.label for a in found.agents}
    text = f"Agent: {labels.get(agent, agent) if agent else 'default'}"
    count = len(found.instructions)
    if count:
        text += f" · {count} instruction{'s' if count != 1 else ''}"
    return text


class AgentChip(QToolButton):
    def __init__(self, controller: ChatController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setAccessibleName("Custom agent")
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.setMenu(self.menu_)
        self.menu_.aboutToShow.connect(self._fill_menu)
        self._group = QActionGroup(self)
        self._tasks = TaskGroup("agent chip")
        self.found = SessionCustomization()
        self.agent = ""
        controller.access_changed.connect(self.follow)
        controller.conversation_opened.connect(self.follow)
        controller.reply_finished.connect(self.follow)
        self.setVisible(False)

    @Slot()
    def follow(self, *_args: object) -> Action | None:
        """Show (in Agent mode) what the conversation uses now, as soon as Copilot says."""
        agent_mode = self.controller.access().mode.agentic  # Agent, Plan, Autopilot
        self.setVisible(agent_mode)
        if not agent_mode:
            return None
        return self._tasks.spawn_if_looping(self._refresh())

    async def _refresh(self) -> None:
        try:
            found = await self.controller.customizing.offer()
        except Exception as exc:
            self.setToolTip(f"Could not ask Copilot for its agents: {describe_error(exc)}")
            return
        self.show_found(found, found.current_agent)

    def show_found(self, found: SessionCustomization, agent: str) -> None:
        self.found, self.agent = found, agent
        self.setText(chip_text(found, agent))
        lines = [f"{s.label}: {s.path}" for s in found.instructions] or ["No instructions files"]
        self.setToolTip("Choose the custom agent for this conversation.\nInstructions in effect:\n" +
                        "\n".join(lines))  # fmt: skip

    @Slot()
    def _fill_menu(self) -> None:
        self.menu_.clear()
        for action in self._group.actions():
            self._group.removeAction(action)
        agents = sorted(self.found.agents, key=lambda a: a.label.casefold())
        choices = [("", DEFAULT)] + [(a.name, a.label) for a in agents]
        for name, label in choices:
            action = QAction(label, self.menu_)
            action.setCheckable(True)
            action.setChecked(name == self.agent)
            description = next((a.description for a in self.found.agents if a.name == name), "")
            action.setToolTip(description)
            action.triggered.connect(lambda _checked=False, n=name: self.choose(n))
            self._group.addAction(action)
            self.menu_.addAction(action)
        if not self.found.agents:
            none = self.menu_.addAction("No custom agents in .github/agents or ~/.copilot/agents")
            none.setEnabled(False)

    def choose(self, name: str) -> Action:
        """Use agent ``name`` ("": the default) in this conversation."""
        return self._tasks.spawn(self._choose(name))

    async def _choose(self, name: str) -> None:
        try:
            await self.controller.customizing.choose_agent(name)
        except Exception as exc:
            self.setToolTip(f"Could not choose that agent: {describe_error(exc)}")
        await self._refresh()
