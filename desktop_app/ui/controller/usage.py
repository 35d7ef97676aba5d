"""Premium usage for one window: the quota the app knows and what this conversation cost, as the
status bar's gauge shows them, and the banner's words when the quota runs low or a request is refused.

The quota is the service's (``QuotaKeeper``: one CLI, one account, every window); this asks for a
fresh reading when the window becomes ready and after each reply, and the keeper throttles. The cost
is the open conversation's: its replies as saved (each keeps what its model calls cost), plus what
arrives now; for a resumed session the CLI's own total (``usage.get_metrics``, which also counts turns
made outside the app) is taken when it is larger, since either can only miss requests, never invent
them. All of it is hidden unless answers come from Copilot and the window is signed in.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot

from desktop_app.core.config.settings import Settings
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.copilot.usage.keeper import QuotaKeeper
from desktop_app.core.storage.models import ConversationWithMessages, Role
from desktop_app.core.vocabulary.events import ChatEvent, SessionFailed, SessionLimitReached, Usage
from desktop_app.core.vocabulary.notices import Notice, Phase
from desktop_app.core.vocabulary.targets import Source
from desktop_app.core.vocabulary.usage import wording
from desktop_app.core.vocabulary.usage.quota import QuotaNews, UsageState
from desktop_app.ui.platform.tasks import TaskGroup
from desktop_app.ui.signals.change_relay import QuotaRelay


class UsageOwner(Protocol):
    """What the watch follows of its window's controller (``ChatController``)."""

    @property
    def phase_changed(self) -> SignalInstance: ...

    @property
    def conversation_opened(self) -> SignalInstance: ...

    @property
    def reply_finished(self) -> SignalInstance: ...

    @property
    def notice(self) -> SignalInstance: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def session(self) -> ChatSession | None: ...


def saved_cost(opened: ConversationWithMessages | None) -> float | None:
    """What a conversation's saved replies cost: 0 for a new one, None when no reply says."""
    if opened is None:
        return 0.0
    replies = [m for m in opened.messages if m.role is Role.ASSISTANT]
    costs = [m.premium_cost for m in replies if m.premium_cost is not None]
    if replies and not costs:
        return None  # saved before costs were kept, or imported: the session's metrics may tell
    return sum(costs)


class UsageWatch(QObject):
    """A listener of the window's session, and the window's view of the quota.

    Signals:
        changed(UsageState): what the gauge shows now.
        notice(Notice): the quota runs low, or a request was refused for it.
    """

    changed = Signal(UsageState)
    notice = Signal(Notice)

    def __init__(
        self, keeper: QuotaKeeper, owner: UsageOwner, tasks: TaskGroup, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._keeper = keeper
        self._owner = owner
        self._tasks = tasks
        self._ready = False
        self._saved: float | None = 0.0  # the open conversation's replies as saved when it opened
        self._live = 0.0  # its model calls since
        self._session_total: float | None = None  # the CLI's total for its session
        self._refused = False  # a refusal was said: a warning must not cover it
        self.state = UsageState()
        self._relay = QuotaRelay(keeper.changed, self)
        self._relay.changed.connect(self._quota_news)
        owner.phase_changed.connect(self.phase_changed)
        owner.conversation_opened.connect(self.conversation_opened)
        owner.reply_finished.connect(self.reply_finished)
        self.notice.connect(owner.notice)

    def _session(self) -> ChatSession | None:
        return self._owner.session

    @property
    def copilot(self) -> bool:
        return self._owner.settings.source is Source.COPILOT

    @property
    def cost(self) -> float | None:
        """Premium requests the open conversation used, as far as known."""
        known = None if self._saved is None else self._saved + self._live
        if self._session_total is not None:
            return max(known or 0.0, self._session_total)
        return known if known is not None else (self._live or None)

    def _publish(self) -> None:
        shown = self.copilot and self._ready and self._keeper.current is not None
        state = UsageState(self._keeper.current, self.cost, shown)
        if state != self.state:
            self.state = state
            self.changed.emit(state)

    # -- the session's events ---------------------------------------------------------------------
    def __call__(self, event: ChatEvent) -> None:
        if isinstance(event, Usage) and event.cost is not None:
            self._live += event.cost
            self._refused = False
            self._publish()
        elif isinstance(event, SessionFailed) and event.quota_refused:
            self._refused = True  # the session worded it (reset date, what to do)
            self.notice.emit(wording.refusal_notice(event.message))
        elif isinstance(event, SessionLimitReached):
            self._refused = True
            self.notice.emit(wording.refusal_notice(event.message))

    # -- the window -------------------------------------------------------------------------------
    @Slot(Phase)
    def phase_changed(self, phase: Phase) -> None:
        self._ready = phase is Phase.READY
        if self._ready and self.copilot:
            self._tasks.spawn(self._keeper.refresh(self._session()))
        self._publish()

    @Slot(object)
    def conversation_opened(self, opened: ConversationWithMessages | None) -> None:
        self._saved, self._live, self._session_total = saved_cost(opened), 0.0, None
        self._refused = False
        self._publish()

    def resumed(self) -> None:
        """The open conversation's session was resumed: the CLI knows its whole cost."""
        if self.copilot:
            self._tasks.spawn(self._read_total())

    @Slot()
    def reply_finished(self) -> None:
        if self.copilot and self._ready:
            self._tasks.spawn(self._after_reply())

    async def _after_reply(self) -> None:
        await self._keeper.refresh(self._session())
        await self._read_total()

    async def _read_total(self) -> None:
        session = self._session()
        if session is None:
            return
        total = await self._keeper.session_cost(session)
        if total is not None and session is self._session():
            self._session_total = total
            self._publish()

    @Slot(object)
    def _quota_news(self, news: QuotaNews) -> None:
        self._publish()
        if news.warn is not None and news.quota is not None and self.state.shown and not self._refused:
            self.notice.emit(wording.warning(news.quota, self._keeper.now()))
