"""Figures for one reply: tokens, tokens per second, time to first token, elapsed time.

Output tokens come from the SDK's usage events when it sends them; until then the deltas are counted
(one delta is about one token) and the figure says so. Seed example 2, as a subscriber.

Figures that would mislead are left out: no rate for a reply under ``MIN_RATE_SECONDS`` of text or
under ``MIN_RATE_TOKENS`` tokens (a few tokens in a few milliseconds make thousands per second), and
the time the user takes to answer a permission request counts neither towards the time to first
token nor towards the rate (it says nothing about the model). A reopened conversation shows its last
reply's figures as the store kept them (``saved_figures``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from desktop_app.core.vocabulary.events import (
    ChatEvent,
    Idle,
    PermissionAnswered,
    PermissionAsked,
    SessionFailed,
    TextDelta,
    TurnStarted,
    Usage,
)

Clock = Callable[[], float]

MIN_RATE_SECONDS = 1.0  # of text streaming, before a rate means anything
MIN_RATE_TOKENS = 8


@dataclass(frozen=True)
class MetricsSnapshot:
    model: str
    output_tokens: int
    tokens_from_usage: bool  # True: reported by the SDK; False: counted deltas
    tokens_per_second: float | None
    time_to_first_token: float | None  # seconds
    elapsed: float  # seconds
    running: bool
    saved: bool = False  # a reopened conversation's last reply, as the store kept it
    started: bool = True  # False: no reply yet (a new conversation, or nothing measured)

    def describe(self) -> str:
        """One status-bar line."""
        if self.saved:
            return self._describe_saved()
        if not self.started:
            return NO_REPLY
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

    def _describe_saved(self) -> str:
        """'Last reply: 1.2 s to first token · 34 tok/s · 340 tokens · gpt-5' (what is known of it)."""
        parts = []
        if self.time_to_first_token is not None:
            parts.append(f"{self.time_to_first_token:.1f} s to first token")
        if self.tokens_per_second:
            parts.append(f"{self.tokens_per_second:.0f} tok/s")
        if self.output_tokens:
            parts.append(f"{self.output_tokens:,} {'token' if self.output_tokens == 1 else 'tokens'}")
        if not parts:
            parts.append("no figures kept")
        if self.model:
            parts.append(self.model)
        return "Last reply: " + " · ".join(parts)


NO_REPLY = "No reply yet"
EMPTY = MetricsSnapshot("", 0, False, None, None, 0.0, False, started=False)


def rate(tokens: int, seconds: float) -> float | None:
    """Tokens per second, or None when the reply is too short for the figure to mean anything."""
    if tokens < MIN_RATE_TOKENS or seconds < MIN_RATE_SECONDS:
        return None
    return tokens / seconds


def saved_figures(
    model: str, output_tokens: int | None, duration_ms: float | None, ttft_ms: float | None
) -> MetricsSnapshot:
    """A saved reply's figures, from what the store keeps (the SDK's usage: its model calls' time in
    all, and the first call's time to first token). The rate is over the time after the first token,
    so, over several model calls, a little under what streamed."""
    ttft = None if ttft_ms is None or ttft_ms < 0 else ttft_ms / 1000
    tokens = output_tokens if output_tokens is not None and output_tokens > 0 else 0
    speed = None
    if duration_ms is not None and duration_ms > 0:
        speed = rate(tokens, duration_ms / 1000 - (ttft or 0.0))
    return MetricsSnapshot(model, tokens, output_tokens is not None, speed, ttft, 0.0, False, saved=True)


class SavedReply(Protocol):
    """What the store keeps of a reply's figures (a saved ``Message``)."""

    @property
    def model(self) -> str: ...
    @property
    def output_tokens(self) -> int | None: ...
    @property
    def duration_ms(self) -> float | None: ...
    @property
    def ttft_ms(self) -> float | None: ...


def last_reply_figures(replies: Sequence[SavedReply]) -> MetricsSnapshot:
    """The figures of the newest of a conversation's saved replies that has any (an error or an
    imported reply may have none); ``EMPTY`` when it has no reply."""
    for reply in reversed(replies):
        if reply.output_tokens is not None or reply.duration_ms is not None or reply.ttft_ms is not None:
            return saved_figures(reply.model, reply.output_tokens, reply.duration_ms, reply.ttft_ms)
    return saved_figures(replies[-1].model, None, None, None) if replies else EMPTY


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
        self._asking: set[str] = set()  # permission requests waiting for the user
        self._waits: list[tuple[float, float | None]] = []  # when one or more did (None: still)

    def start(self) -> None:
        """The user sent a prompt: time runs from here."""
        self._reset(self._clock())

    def clear(self) -> None:
        """Another conversation: nothing measured is its."""
        self._reset(None)

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
        elif isinstance(event, PermissionAsked) and self._started is not None:
            if not self._asking:
                self._waits.append((now, None))
            self._asking.add(event.prompt.prompt_id)
        elif isinstance(event, PermissionAnswered):
            self._answered(event.prompt.prompt_id, now)
        elif isinstance(event, Idle | SessionFailed) and self._started is not None:
            self._finished = self._finished or now
            for prompt_id in list(self._asking):
                self._answered(prompt_id, now)

    def _answered(self, prompt_id: str, now: float) -> None:
        if prompt_id not in self._asking:
            return
        self._asking.discard(prompt_id)
        if not self._asking and self._waits and self._waits[-1][1] is None:
            self._waits[-1] = (self._waits[-1][0], now)

    def _waited(self, start: float, end: float) -> float:
        """Seconds of [start, end] spent waiting for the user's answer to a permission request."""
        now = self._clock()
        return sum(
            max(0.0, min(end, stop if stop is not None else now) - max(start, began))
            for began, stop in self._waits
        )

    def snapshot(self) -> MetricsSnapshot:
        now = self._clock()
        started = self._started
        if started is None:
            return MetricsSnapshot(self.model, 0, False, None, None, 0.0, False, started=False)
        running = self._finished is None
        end = self._finished if self._finished is not None else now
        elapsed = max(0.0, end - started)
        from_usage = self._usage_tokens is not None
        tokens = self._usage_tokens if self._usage_tokens is not None else self._counted
        ttft = None
        speed = None
        if self._first_delta is not None:
            ttft = max(0.0, self._first_delta - started - self._waited(started, self._first_delta))
            gen_end = (self._last_delta or now) if self._finished is not None else now
            span = gen_end - self._first_delta - self._waited(self._first_delta, gen_end)
            speed = rate(tokens, span)
        return MetricsSnapshot(self.model, tokens, from_usage, speed, ttft, elapsed, running)
