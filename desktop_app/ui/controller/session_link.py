"""The open conversation's ``ChatSession`` and everyone who listens to it, attached and let go together.

The session is opened when the conversation's first prompt goes (or resumed when a saved one opens);
the conversation remembers its id. The listeners (the metrics, the watchdog, the live conversation),
then the bridge to the widgets subscribe in that order. The conversation's recorder follows the live
conversation's changes, from the first prompt on.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.core.conversation.live import LiveConversation
from desktop_app.core.copilot.service import CopilotService
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.storage.recorder import TurnRecorder
from desktop_app.core.vocabulary.events import ChatEvent
from desktop_app.core.vocabulary.targets import ChatTarget
from desktop_app.ui.controller.customizing import Customizing
from desktop_app.ui.controller.open_conversation import OpenConversation
from desktop_app.ui.signals.session_bridge import SessionBridge


class SessionLink:
    def __init__(
        self,
        service: CopilotService,
        conversation: OpenConversation,
        target: Callable[[], ChatTarget],
        bridge: SessionBridge,
        live: LiveConversation,
        listeners: list[Callable[[ChatEvent], None]],
        on_record_error: Callable[[str], None],
    ) -> None:
        self.session: ChatSession | None = None
        self.recorder: TurnRecorder | None = None  # saves the open conversation's turns
        self._service = service
        self._conversation = conversation
        self._target = target
        self._bridge = bridge
        self._live = live
        self._recording: Callable[[], None] | None = None  # unsubscribes the recorder
        self._listeners = listeners
        self._on_record_error = on_record_error
        self._unsubscribe: list[Callable[[], None]] = []
        self.customizing = Customizing(service, conversation, lambda: self.session)

    async def for_sending(self) -> ChatSession:
        """The session to send on: the open one, else the conversation's resumed, else a new one."""
        if self.session is None:
            current = self._conversation.current
            await self.open(current.session_id if current is not None else None)
        assert self.session is not None
        return self.session

    async def open(self, session_id: str | None) -> None:
        """Open a new session, or resume ``session_id`` (raises if the CLI no longer has it)."""
        conversation = self._conversation
        session = await self._service.open_session(
            self._target(), session_id, conversation.access(), conversation.key, self.customizing.agent()
        )
        self.session = session
        for listener in self._listeners:
            self._unsubscribe.append(session.events.subscribe(listener))
        self._bridge.attach(session.events)
        conversation.remember_session(session.session_id)

    def recorder_for_sending(self) -> TurnRecorder | None:
        """The recorder of the conversation, which is saved when its first prompt is sent."""
        conversation = self._conversation.save_for(self._target())
        store = self._conversation.store
        if conversation is None or store is None:
            return None
        if self.recorder is None:
            self.recorder = TurnRecorder(store, conversation.id, on_error=self._on_record_error)
            self._recording = self._live.changes.subscribe(self.recorder)
        return self.recorder

    async def detach(self) -> None:
        """Leave the conversation: nobody listens any more, the recorder and the session close."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self._bridge.detach()
        self._live.interrupt()  # a reply still open is kept as it is, marked interrupted
        self.customizing.left()
        if self._recording is not None:
            self._recording()
            self._recording = None
        if self.recorder is not None:
            self.recorder.close()
            self.recorder = None
        await self.close_session()

    async def close_session(self) -> None:
        """Close the session alone (the CLI restarts under the same conversation)."""
        session, self.session = self.session, None
        if session is not None:
            await session.close()
