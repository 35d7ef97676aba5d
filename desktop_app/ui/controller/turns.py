"""One reply at a time: it starts, streams, is stopped or goes silent, and ends exactly once.

``busy`` is set the moment a prompt is accepted, so a second prompt waits for this one instead of
racing it; ``reply_finished`` is said once, whatever ended the reply (idle, an error, the CLI dying,
a stop, the window closing). What went wrong on the way is a ``notice``. While a reply runs the
metrics tick five times a second, and a watchdog stops one that shows no sign of life for the
settings' limit (a hung endpoint sends nothing and never ends the turn; a tool that runs, or waits
for the user, is alive).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop_app.core.conversation.metrics import (
    MetricsSnapshot,
    SavedReply,
    StreamMetrics,
    last_reply_figures,
)
from desktop_app.core.copilot.session import ChatSession
from desktop_app.core.storage.models import Status
from desktop_app.core.storage.recorder import TurnRecorder
from desktop_app.core.vocabulary import notices
from desktop_app.core.vocabulary.copilot_errors import describe_error
from desktop_app.core.vocabulary.events import ChatEvent
from desktop_app.core.vocabulary.notices import Notice
from desktop_app.ui.platform.tasks import TaskGroup
from desktop_app.ui.signals.session_bridge import SessionBridge

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class ReplyWatch(QObject):
    """Signals:
    tick(): time to publish fresh metrics.
    went_silent(int): no sign of life for this many seconds (once per reply); stop the reply.
    """

    tick = Signal()
    went_silent = Signal(int)

    def __init__(
        self,
        limit_s: Callable[[], int],
        tools_working: Callable[[], bool],
        parent: QObject | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._limit_s = limit_s  # read at each check: the settings may change mid-reply
        self._tools_working = tools_working
        self._clock = clock
        self._last_activity = 0.0
        self._timed_out = False
        self._silence = QTimer(self)
        self._silence.setInterval(1000)
        self._silence.timeout.connect(self.check)
        self._metrics = QTimer(self)
        self._metrics.setInterval(200)
        self._metrics.timeout.connect(self.tick)

    @property
    def watching(self) -> bool:
        return self._silence.isActive()

    def start(self) -> None:
        """A reply begins: it is alive now."""
        self._metrics.start()
        self._last_activity = self._clock()
        self._timed_out = False
        self._silence.start()

    def stop(self) -> None:
        self._silence.stop()
        self._metrics.stop()

    def stop_ticking(self) -> None:
        """The window closes: no more metrics (the watchdog stops with the reply)."""
        self._metrics.stop()

    def activity(self, _event: ChatEvent) -> None:
        """A session subscriber: any event is a sign of life."""
        self._last_activity = self._clock()

    @Slot()
    def check(self) -> None:
        """Say ``went_silent`` if the reply showed no sign of life for the limit."""
        if not self.watching or self._timed_out:
            return
        if self._tools_working():
            self._last_activity = self._clock()
            return
        limit = self._limit_s()
        if self._clock() - self._last_activity < limit:
            return
        self._timed_out = True
        log.info("No sign of life from the reply for %d s: stopping it", limit)
        self.went_silent.emit(limit)


class TurnRunner(QObject):
    """Signals:
    busy_changed(bool): a reply started (True) or ended (False).
    reply_started(): the assistant turn begins.
    reply_finished(): the reply is over, whatever the outcome.
    metrics_changed(MetricsSnapshot): fresh figures while it runs, and the last ones.
    notice(Notice): a retry, a failure, a reply gone silent.
    """

    busy_changed = Signal(bool)
    reply_started = Signal()
    reply_finished = Signal()
    metrics_changed = Signal(MetricsSnapshot)
    notice = Signal(Notice)

    def __init__(
        self,
        bridge: SessionBridge,
        metrics: StreamMetrics,
        session: Callable[[], ChatSession | None],
        limit_s: Callable[[], int],
        tools_working: Callable[[], bool],
        tasks: TaskGroup,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.busy = False
        self.metrics = metrics
        self._session = session
        self._tasks = tasks
        self._bridge = bridge
        self._retrying = False  # the CLI retries a failed model call; the banner says so until text comes
        self._watch = ReplyWatch(limit_s, tools_working, self)
        self._watch.tick.connect(self._publish_metrics)
        self._watch.went_silent.connect(self._went_silent)
        bridge.idle.connect(self._on_idle)
        bridge.session_failed.connect(self._on_session_failed)
        bridge.call_failed.connect(self._on_call_failed)
        bridge.cli_exited.connect(self._on_cli_exited)
        bridge.usage.connect(self._publish_metrics)

    def activity(self, event: ChatEvent) -> None:
        """A session subscriber: every event is a sign of life for the watchdog."""
        self._watch.activity(event)

    def begin(self) -> None:
        """A prompt was accepted: busy at once."""
        self._set_busy(True)

    async def run(
        self,
        text: str,
        session: Callable[[], Awaitable[ChatSession]],
        recorder: TurnRecorder | None,
        attachments: Callable[[], list[dict[str, Any]]] = list,
    ) -> None:
        """Send ``text`` on ``session()`` (opened on first use), with ``attachments()`` (the SDK's,
        made once the session is open, in its mode); the reply arrives as events."""
        self.reply_started.emit()
        self.metrics.start()
        self._watch.start()
        try:
            opened = await session()
            await opened.send(text, attachments() or None)
        except Exception as exc:  # CopilotUnavailableError, mostly
            message = describe_error(exc)
            log.warning("Send failed: %s", message)
            self.notice.emit(notices.error(message))
            if recorder is not None:
                recorder.notice(message, Status.ERROR)
            self.finish()

    def steer(self, text: str, dropped: Callable[[str], None]) -> bool:
        """Send ``text`` into the reply that runs (``mode="immediate"``); False if none runs. If the
        turn's own prompt is still on its way (a session opening), it goes right after it. If it
        cannot go (the reply ends first, the send fails), ``dropped(text)`` is told."""
        if not self.busy:
            return False
        self._tasks.spawn(self._steer(text, dropped))
        return True

    async def _steer(self, text: str, dropped: Callable[[str], None]) -> None:
        session = self._session()
        while self.busy and (session is None or not session.busy):
            await asyncio.sleep(0.01)  # the turn's prompt first: the CLI would run this one alone
            session = self._session()
        if not self.busy or session is None:
            dropped(text)
            return
        try:
            await session.send(text, steer=True)
        except Exception as exc:
            log.warning("Send now failed: %s", describe_error(exc))
            self.notice.emit(notices.error(describe_error(exc)))
            dropped(text)

    def stop(self) -> None:
        """Stop the reply (what arrived is kept)."""
        session = self._session()
        if self.busy and session is not None:
            self._tasks.spawn(self._abort(session))

    async def settle(self) -> None:
        """No reply streams once this returns (one that did was stopped)."""
        if self.busy:
            await self.stop_and_wait()

    async def stop_and_wait(self) -> None:
        """Stop the reply and wait until it is over (or give up after 10 s)."""
        finished = asyncio.get_running_loop().create_future()

        def done() -> None:
            if not finished.done():
                finished.set_result(None)

        self.reply_finished.connect(done)
        try:
            self.stop()
            await asyncio.wait_for(finished, timeout=10)
        except TimeoutError:
            self.finish()
        finally:
            self.reply_finished.disconnect(done)

    async def _abort(self, session: ChatSession) -> None:
        try:
            await asyncio.wait_for(session.abort(), timeout=10)
        except Exception as exc:
            self.notice.emit(notices.could_not_stop(describe_error(exc)))
            self.finish()

    async def close(self) -> None:
        """The window closes: no more metrics; a reply still running is stopped (what arrived is kept)."""
        self._watch.stop_ticking()
        session = self._session()
        if self.busy and session is not None:
            try:
                await asyncio.wait_for(session.abort(), timeout=5)
            except Exception as exc:
                log.info("Could not stop the reply of a closing window: %s", describe_error(exc))

    def finish(self) -> None:
        """The reply is over (said once, however many things end it)."""
        self._watch.stop()
        self._publish_metrics()
        if self.busy:
            self._set_busy(False)
            self.reply_finished.emit()

    def show_saved(self, replies: Sequence[SavedReply]) -> None:
        """Another conversation is shown: what was measured is forgotten, and its last reply's figures,
        as saved, are shown instead (none for a new conversation)."""
        self.metrics.clear()
        self.metrics_changed.emit(last_reply_figures(replies))

    # -- the session's events ---------------------------------------------------------------------
    @Slot(str)
    def _on_first_text(self, _text: str) -> None:
        if self._retrying:
            self._set_retrying(False)
            self.notice.emit(notices.CLEAR)

    def _set_retrying(self, retrying: bool) -> None:
        """While the CLI retries, the first text clears its banner: only then is every delta followed
        (the bridge emits deltas only to listeners, and a signal a delta cost the screen 30 µs)."""
        if retrying != self._retrying:
            if retrying:
                self._bridge.text_delta.connect(self._on_first_text)
            else:
                self._bridge.text_delta.disconnect(self._on_first_text)
        self._retrying = retrying

    @Slot(str, int, int)
    def _on_call_failed(self, message: str, attempt: int, status: int) -> None:
        self._set_retrying(True)
        self.notice.emit(notices.retrying(message, attempt, status))

    @Slot(str, bool)
    def _on_session_failed(self, message: str, quota_refused: bool) -> None:
        self._set_retrying(False)  # what the banner says now is the failure: the turn's end keeps it
        if not quota_refused:  # the usage watch says that one, with what to do
            self.notice.emit(notices.error(message))

    @Slot(bool)
    def _on_idle(self, _aborted: bool) -> None:
        if self._retrying:
            self._set_retrying(False)
            self.notice.emit(notices.CLEAR)
        self.finish()

    @Slot(str)
    def _on_cli_exited(self, message: str) -> None:
        self.finish()
        self.notice.emit(notices.cli_died(message))

    @Slot(int)
    def _went_silent(self, limit_s: int) -> None:
        """Stop a reply that shows no sign of life (tools that run or wait for you are alive)."""
        self.notice.emit(notices.went_silent(limit_s))
        self.stop()

    @Slot()
    def _publish_metrics(self, *_args: object) -> None:
        """Fresh figures, once a reply was measured: after a switch the metrics are cleared, and a
        late event must not replace the figures of the conversation shown with nothing."""
        snapshot = self.metrics.snapshot()
        if snapshot.started:
            self.metrics_changed.emit(snapshot)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)
