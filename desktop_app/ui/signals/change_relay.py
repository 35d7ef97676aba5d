"""The one bridge from the core's observers to Qt: a hub's publications, re-emitted as a Qt signal.

The core tells of changes with ``EventHub`` (no Qt there); widgets connect to signals. Every widget that
follows a core model (the conversation view, the tool panel, the sidebar, the rules page, the share bar)
does so through a relay here, so the hop into Qt happens in this one place. A hub that publishes from
another thread (the share server's) is fine: Qt queues the signal to the receivers' thread.

A relay made with a ``direct`` receiver calls it without a signal when the hub publishes on the
relay's own thread: a streaming reply publishes a change per delta, and at three windows' worth
of deltas the signals' emits (each lets another thread take the GIL) cost the screen half a second
a reply. Published from elsewhere, it still goes through ``changed``, queued.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop_app.core.conversation.reply import Change
from desktop_app.core.vocabulary.account import AccountState
from desktop_app.core.vocabulary.event_hub import EventHub


class _Relay(QObject):
    """Follows one hub; each subclass names the type its ``changed`` signal carries."""

    changed: Any

    def __init__(
        self, hub: EventHub[Any], parent: QObject | None = None, direct: Callable[[Any], None] | None = None
    ) -> None:
        """``direct``: the one receiver, called at once for what is published on this thread (and
        through ``changed`` for what is published on another)."""
        super().__init__(parent)
        self._home = threading.get_ident()
        self._direct = direct
        if direct is not None:
            self.changed.connect(direct)
        unsubscribe = hub.subscribe(self._relay)
        self._unsubscribe: Callable[[], None] | None = unsubscribe
        self.destroyed.connect(lambda *_: unsubscribe())  # gone with its widget: the hub forgets it

    def _relay(self, value: object) -> None:
        if self._direct is not None and threading.get_ident() == self._home:
            self._direct(value)
        else:
            self.changed.emit(value)

    def detach(self) -> None:
        """Stop following the hub (the widget goes away, or follows another)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


class ChangeRelay(_Relay):
    """Signals:
    changed(Change): a live conversation (or its tool timeline) changed.
    """

    changed = Signal(Change)


class IdRelay(_Relay):
    """Signals:
    changed(str): the id of what changed (a conversation in the store).
    """

    changed = Signal(str)


class CountRelay(_Relay):
    """Signals:
    changed(int): a new count (the share page's viewers).
    """

    changed = Signal(int)


class RulesRelay(_Relay):
    """Signals:
    changed(list): the rule book's rules after a change (a ``list`` of ``Rule``).
    """

    changed = Signal(list)


class AccountRelay(_Relay):
    """Signals:
    changed(AccountState): who is signed in now (any window may have signed in or out).
    """

    changed = Signal(AccountState)


class QuotaRelay(_Relay):
    """Signals:
    changed(object): a new premium quota reading (a ``QuotaNews``).
    """

    changed = Signal(object)
