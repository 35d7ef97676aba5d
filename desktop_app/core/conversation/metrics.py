"""Live figures for one reply: tokens, tokens per second, time to first token, elapsed time.

Output tokens come from the SDK's usage events when it sends them; until then the deltas are counted
(one delta is about one token) and the figure says so. Seed example 2, as a subscriber.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.core.vocabulary.events import ChatEvent, Idle, SessionFailed, TextDelta, TurnStarted, Usage

Clock = Callable[[], float]


@dataclass(frozen=True)
class MetricsSnapshot:
    model: str
    output_tokens: int
    tokens_from_usage: bool  # True: reported by the SDK; False: counted deltas
    tokens_per_second: float | None
    time_to_first_token: float | None  # seconds
    elapsed: float  # seconds
    running: bool

    def describe(self) -> str:
        """One status-bar line."""
        label = "token" if self.output_tokens == 1 else "tokens"
        if not self.tokens_from_usage:
            label += " (counted)"
        parts = [f"{self.output_tokens:,} {label}"]
        parts.append(f"{self.tokens_per_second:.1f} tok/s" if self.tokens_per_second else "– tok/s")
        ttft = self.time_to_first_token
        parts.append(f"first token {ttft:.2f} s" if ttft is not None else "first token –")
        parts.append(f"{self.elapsed:.1f} s")
        if self.model:
            parts.append(self.model)
        return " · ".join(parts)


class StreamMetrics:
    """Subscriber that measures the reply being streamed (and keeps the figures afterwards)."""

    def __init__(self, model: str = "", clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self.model = model
        self._reset(None)

    def _reset(self, started: float | None) -> None:
        self._started = started
        self._first_delta: float | None = None
        self._last_delta: float | None = None
        self._finished: float | None = None
        self._counted = 0
        self._usage_tokens: int | None = None

    def start(self) -> None:
        """The user sent a prompt: time runs from here."""
        self._reset(self._clock())

    def __call__(self, event: ChatEvent) -> None:
        now = self._clock()
        if isinstance(event, TurnStarted) and self._started is None:
            self._reset(now)
        elif isinstance(event, TextDelta) and event.text:
            if self._started is None:
                self._reset(now)
            if self._first_delta is None:
                self._first_delta = now
            self._last_delta = now
            self._counted += 1
        elif isinstance(event, Usage):
            if event.output_tokens is not None:
                self._usage_tokens = (self._usage_tokens or 0) + event.output_tokens
            if event.model:
                self.model = event.model
        elif isinstance(event, Idle | SessionFailed) and self._started is not None:
            self._finished = self._finished or now

    def snapshot(self) -> MetricsSnapshot:
        now = self._clock()
        started = self._started
        running = started is not None and self._finished is None
        end = self._finished if self._finished is not None else now
        elapsed = 0.0 if started is None else max(0.0, end - started)
        from_usage = self._usage_tokens is not None
        tokens = self._usage_tokens if self._usage_tokens is not None else self._counted
        ttft = None
        if started is not None and self._first_delta is not None:
            ttft = self._first_delta - started
        rate = None
        if self._first_delta is not None and tokens:
            gen_end = self._last_delta if self._finished is not None else now
            span = (gen_end or now) - self._first_delta
            if span > 0:
                rate = tokens / span
        return MetricsSnapshot(self.model, tokens, from_usage, rate, ttft, elapsed, running)
