"""One event stream, many subscribers: each is called in turn and one that raises harms no other."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
Subscriber = Callable[[T], None]


class EventHub(Generic[T]):
    """Fan-out of events to subscribers (seed example 3, without 'handler crashes entire stream')."""

    def __init__(self, name: str = "events") -> None:
        self._name = name
        self._subscribers: list[Subscriber[T]] = []

    def subscribe(self, subscriber: Subscriber[T]) -> Callable[[], None]:
        """Add a subscriber; the returned function removes it."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: T) -> None:
        for subscriber in tuple(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                log.exception(
                    "%s subscriber %r failed on %s; the others still got it",
                    self._name,
                    getattr(subscriber, "__qualname__", subscriber),
                    type(event).__name__,
                )

    def __len__(self) -> int:
        return len(self._subscribers)
