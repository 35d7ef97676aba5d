"""A window's side of the customization: the custom agent its conversation uses, and the saved
customization (instructions, skills, folders) that every new or resumed session starts with.

The agent is remembered per conversation in ``customization.json``; one chosen before the first
prompt waits here and is kept under the conversation's id once it is saved. No Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from desktop_app.core.config.agent_files import agents_in
from desktop_app.core.config.customization import Customization, agent_folders, save_customization
from desktop_app.core.copilot.customizations import read_customization, select_agent
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.customization import SessionCustomization
from desktop_app.ui.controller.open_conversation import OpenConversation

log = logging.getLogger(__name__)


class Customizing:
    def __init__(
        self,
        service: CopilotService,
        conversation: OpenConversation,
        session: Callable[[], ChatSession | None],
    ) -> None:
        self._service = service
        self._conversation = conversation
        self._session = session
        self._unsaved_agent = ""  # chosen for a conversation not saved yet

    @property
    def saved(self) -> Customization:
        return self._service.customization

    def agent(self) -> str:
        """The custom agent the open conversation uses ("": the default agent)."""
        current = self._conversation.current
        if current is None:
            return self._unsaved_agent
        if self._unsaved_agent and current.id not in self.saved.agents:  # saved since it was chosen
            self._keep(self.saved.with_agent(current.id, self._unsaved_agent))
        self._unsaved_agent = ""
        return self.saved.agent_for(current.id)

    def left(self) -> None:
        """The window left the conversation: a choice for an unsaved one goes with it."""
        self._unsaved_agent = ""

    async def choose_agent(self, name: str) -> None:
        """Use ``name`` in this conversation from its next turn on ("": the default agent)."""
        session = self._session()
        if session is not None:
            await select_agent(session, name)  # first: an agent the CLI does not know is not kept
        current = self._conversation.current
        if current is None:
            self._unsaved_agent = name
        else:
            self._keep(self.saved.with_agent(current.id, name))
        log.info("Custom agent for this conversation: %s", name or "the default")

    async def read(self) -> SessionCustomization:
        """What customises the open conversation's live Agent session (empty without one: Chat
        mode's prompt is the app's own, with none of the CLI's instructions, skills or agents)."""
        session = self._session()
        if session is None or not session.access.mode.agentic:
            return SessionCustomization()
        return await read_customization(session)

    async def offer(self) -> SessionCustomization:
        """The agents to choose from and the one in use: the live session's, else the agent files
        its session will find (and this conversation's choice)."""
        session = self._session()
        if session is not None and session.access.mode.agentic:
            return await read_customization(session)
        access = self._conversation.access()
        if not access.mode.agentic:
            return SessionCustomization()
        home = self._service.paths.copilot_home or Path.home() / ".copilot"
        agents = agents_in(agent_folders(access.working_directory, home))
        return SessionCustomization(agents=agents, current_agent=self.agent())

    def save(self, customization: Customization) -> None:
        """New instructions, skills or folders, for every session from now on (then ``reload``)."""
        self._keep(customization)

    async def reload(self) -> None:
        """The open conversation's live session resumed with the customization as it is now."""
        session = self._session()
        if session is not None:
            try:
                await session.reload()
            except Exception as exc:
                log.warning("Could not apply the customization: %s", describe_error(exc))

    def _keep(self, customization: Customization) -> None:
        self._service.customization = customization
        try:
            save_customization(self._service.paths.config_dir, customization)
        except OSError as exc:
            log.warning("Could not save the customization: %s", exc)
