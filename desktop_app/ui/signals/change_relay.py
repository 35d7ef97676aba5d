"""The one bridge from the core's observers to Qt: a hub's changes, re-emitted as a Qt signal.

The core tells of changes with ``EventHub`` (no Qt there); widgets connect to signals. Every widget that
follows a core model (the tool panel, the conversation view, the share glue) does so through a
``ChangeRelay``, so the hop into Qt happens in this one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from desktop_app.core.conversation.reply import Change
from desktop_app.core.vocabulary.event_hub import EventHub

C = TypeVar("C", bound=Change)


class ChangeRelay(QObject):
    """Follows one hub on the UI thread (the hubs publish there).

    Signals:
        changed(Change): a change the hub published, as it was published.
    """

    changed = Signal(Change)

    def __init__(self, hub: EventHub[C], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = hub.subscribe(self._relay)

    def _relay(self, change: Change) -> None:
        self.changed.emit(change)

    def detach(self) -> None:
        """Stop following the hub (the widget goes away, or follows another)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
