"""Share one chat window live to browsers: start and stop a ``ShareServer`` for the window.

The server follows the conversation's live model itself (``core/share/feed.py``); this glue only gives
it the saved messages and the title when a conversation opens. The server runs on its own thread;
everything here runs on the UI thread and only hands it text, so a slow viewer never slows the window.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from desktop_app.core.storage.models import ConversationWithMessages, Status
from desktop_app.ui.controller.controller import ChatController
from desktop_app.ui.signals.change_relay import CountRelay

if TYPE_CHECKING:  # the server (aiohttp, ~0.2 s to import) is loaded when sharing starts
    from desktop_app.core.share.feed import ConversationFeed
    from desktop_app.core.share.server import ShareServer

log = logging.getLogger(__name__)


class LiveShare(QObject):
    """Signals:
    viewers_changed(int): how many browsers watch (emitted from the server thread; Qt queues it).
    sharing_changed(str): the viewer link while sharing, or "" once stopped.
    lan_changed(bool, list): LAN sharing turned on (with the links for other devices) or off.
    """

    viewers_changed = Signal(int)
    sharing_changed = Signal(str)
    lan_changed = Signal(bool, list)

    def __init__(self, controller: ChatController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.server: ShareServer | None = None
        self._feed: ConversationFeed | None = None
        self._viewers: CountRelay | None = None

    @property
    def url(self) -> str:
        return self.server.url if self.server is not None else ""

    def start(self, lan: bool = False) -> str:
        if self.server is not None:
            return self.server.url
        from desktop_app.core.share.feed import ConversationFeed
        from desktop_app.core.share.server import ShareServer

        server = ShareServer(self._title(), lan=lan)
        self._viewers = CountRelay(server.viewers_changed, self)  # from the server's thread: Qt queues it
        self._viewers.changed.connect(self.viewers_changed)
        server.set_conversation(self._title(), self._messages())
        url = server.start()
        self.server = server
        self._feed = ConversationFeed(server)
        self._feed.follow(self.controller.live)
        self._connect(True)
        log.info("Sharing this window live%s", " on the local network" if lan else "")
        self.sharing_changed.emit(url)
        return url

    def set_lan(self, on: bool) -> None:
        """Let other devices on the network watch too, or this machine only again.

        The link and this machine's viewers stay; turning it off cuts viewers on other devices.
        Raises ``OSError`` if the port cannot be opened on the network (sharing stays as it was).
        """
        if self.server is None:
            return
        try:
            self.server.set_lan(on)
        finally:
            self.lan_changed.emit(self.server.lan, self.server.lan_urls)

    def stop(self) -> None:
        server, self.server = self.server, None
        if server is None:
            return
        self._connect(False)
        if self._feed is not None:
            self._feed.stop()
            self._feed = None
        if self._viewers is not None:
            self._viewers.detach()
            self._viewers = None
        server.stop()
        self.sharing_changed.emit("")
        self.viewers_changed.emit(0)

    # -- feeding the server --------------------------------------------------------------------
    def _connect(self, on: bool) -> None:
        c = self.controller
        pairs = ((c.user_message, self._user), (c.conversation_opened, self._conversation_opened))
        for signal, slot in pairs:
            if on:
                signal.connect(slot)
            else:
                signal.disconnect(slot)

    def _title(self) -> str:
        conversation = self.controller.conversation
        return conversation.title if conversation is not None and conversation.title else "Copilot Desktop"

    def _messages(self) -> list[tuple[str, str]]:
        store, conversation = self.controller.store, self.controller.conversation
        if store is None or conversation is None:
            return []
        # A reply still streaming is not saved yet: the feed shows it from the live conversation.
        messages = store.messages(conversation.id)
        return [(m.role.value, m.content) for m in messages if m.status is not Status.STREAMING]

    @Slot(str)
    def _user(self, _text: str) -> None:
        if self.server is not None:
            self.server.set_title(self._title())  # a new conversation is named after its first prompt

    @Slot(object)
    def _conversation_opened(self, opened: ConversationWithMessages | None) -> None:
        if self.server is None:
            return
        messages = [] if opened is None else [(m.role.value, m.content) for m in opened.messages]
        self.server.set_conversation(self._title(), messages)
