"""What a ``/command`` sent from the composer does: the window's own (``/clear``, ``/model``) here,
the CLI's (``/compact``, ``/usage``, ``/context``, ``/session``) through the session, its answer as a
notice in the conversation (not saved: it is the moment's); an unknown one says so. None of it
reaches the model as a prompt.

The catalogue starts as the window's list and takes the CLI's descriptions once a session can list
them (after a reply, once per session).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot

from desktop_app.core.conversation import slash_commands as slash
from desktop_app.core.conversation.slash_commands import Runner, SlashCommand
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.copilot.session_commands import CommandFailedError, invoke, listed_commands
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.notices import Level
from desktop_app.ui.platform.tasks import TaskGroup

log = logging.getLogger(__name__)


class CommandOwner(Protocol):
    """What the commands need of their window's controller (``ChatController``)."""

    @property
    def reply_finished(self) -> SignalInstance: ...

    @property
    def session(self) -> ChatSession | None: ...

    @property
    def busy(self) -> bool: ...


class SlashCommands(QObject):
    """The window's slash commands.

    Signals:
        said(str, str): what a command answered or why it did not run, and its level, for the
            conversation's notices.
        model_picker_wanted(): ``/model``: the window opens its model picker.
        plan_wanted(str): ``/plan [request]``: the window chooses Plan mode, then sends the request.
        ran(str): a command ran (its name), for tests and the screenshot tool.
    """

    said = Signal(str, str)
    model_picker_wanted = Signal()
    plan_wanted = Signal(str)
    ran = Signal(str)

    def __init__(
        self, owner: CommandOwner, new_conversation: Callable[[], object], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._owner = owner
        self._new_conversation = new_conversation  # the window's: it saves the draft first
        self._tasks = TaskGroup("slash-commands")
        self.catalogue: tuple[SlashCommand, ...] = slash.WINDOW_COMMANDS
        self._listed_for: str | None = None  # the session whose list the catalogue took
        self.listed = False  # the catalogue is the CLI's (once a session listed its commands)
        owner.reply_finished.connect(self._reply_finished)

    def _say(self, text: str, level: Level = Level.INFO) -> None:
        self.said.emit(text, level.value)

    def run(self, text: str) -> bool:
        """Run ``text`` if it is a command (True: handled, never sent), else False: a prompt."""
        typed = slash.parse(text)
        if typed is None:
            return False
        command = slash.find(self.catalogue, typed.name)
        if command is None:
            self._say(slash.unknown(typed.name), Level.WARNING)
        elif command.runner is Runner.APP:
            self._run_here(command, typed.args)
        else:
            self._run_in_cli(command, typed.args)
        return True

    def _run_in_cli(self, command: SlashCommand, args: str) -> None:
        session = self._owner.session
        attached = session is not None and session.sdk_rpc is not None
        if self._owner.busy and (not command.during_reply or not attached):
            self._say(slash.busy(command.name), Level.WARNING)  # or its session is still opening
        elif session is None or not attached:
            self._say(slash.no_session(command.name), Level.WARNING)
        else:
            self._tasks.spawn(self._invoke(session, command, args))

    def _run_here(self, command: SlashCommand, args: str = "") -> None:
        if command.name == "clear":
            self._new_conversation()
        elif command.name == "model":
            self.model_picker_wanted.emit()
        elif command.name == "plan":
            self.plan_wanted.emit(args)
        self.ran.emit(command.name)

    async def _invoke(self, session: ChatSession, command: SlashCommand, args: str) -> None:
        try:
            answer = await invoke(session, command.name, args)
        except CommandFailedError as exc:
            self._say(slash.failed(command.name, str(exc)), Level.ERROR)
        else:
            self._say(answer)
        self.ran.emit(command.name)

    @Slot()
    def _reply_finished(self) -> None:
        session = self._owner.session
        if session is not None and session.session_id != self._listed_for and session.sdk_rpc is not None:
            self._listed_for = session.session_id
            self._tasks.spawn(self._take_list(session))

    async def _take_list(self, session: ChatSession) -> None:
        try:
            listed = await listed_commands(session)
        except Exception as exc:  # the window's own list stays
            self._listed_for = None
            log.info("Could not list the CLI's commands: %s", describe_error(exc))
            return
        if listed is not None:
            self.catalogue, self.listed = slash.from_cli(listed), True

    def cancel(self) -> None:
        self._tasks.cancel_all()
