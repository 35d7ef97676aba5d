"""StreamMetrics with a fake clock: tokens, speed, time to first token, elapsed; and a saved reply's."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation.metrics import (
    MIN_RATE_SECONDS,
    MIN_RATE_TOKENS,
    NO_REPLY,
    MetricsSnapshot,
    StreamMetrics,
    last_reply_figures,
    saved_figures,
)
from desktop_app.core.vocabulary.events import (
    Idle,
    PermissionAnswered,
    PermissionAsked,
    SessionFailed,
    TextDelta,
    TurnStarted,
    Usage,
)
from desktop_app.core.vocabulary.permission_requests import Answer, Choice, PermissionPrompt, RequestKind


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def delta(text: str = "tok") -> TextDelta:
    return TextDelta("m1", text)


def usage(output_tokens: int | None, model: str = "") -> Usage:
    return Usage(model, 10, output_tokens, None, None)


def test_before_anything_happens(clock: FakeClock) -> None:
    snap = StreamMetrics("gpt-5", clock=clock).snapshot()
    assert snap == MetricsSnapshot("gpt-5", 0, False, None, None, 0.0, False, started=False)
    assert snap.describe() == NO_REPLY


def test_counted_deltas_while_streaming(clock: FakeClock) -> None:
    metrics = StreamMetrics("gpt-5", clock=clock)
    metrics.start()
    clock.advance(0.5)
    metrics(delta())  # first token after 0.5 s
    for _ in range(10):
        clock.advance(0.1)
        metrics(delta())
    snap = metrics.snapshot()
    assert snap.output_tokens == 11
    assert snap.tokens_from_usage is False
    assert snap.time_to_first_token == pytest.approx(0.5)
    assert snap.elapsed == pytest.approx(1.5)
    assert snap.running is True
    assert snap.tokens_per_second == pytest.approx(11 / 1.0)
    expected = "11 tokens (counted) · 11.0 tok/s · first token 0.50 s · 1.5 s · gpt-5"
    assert snap.describe() == expected


def test_empty_deltas_are_not_counted(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics.start()
    clock.advance(0.2)
    metrics(delta(""))
    snap = metrics.snapshot()
    assert snap.output_tokens == 0
    assert snap.time_to_first_token is None


def test_usage_tokens_replace_the_count(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics.start()
    clock.advance(1.0)
    for _ in range(5):
        metrics(delta())
        clock.advance(0.5)
    metrics(usage(40, model="claude-x"))
    snap = metrics.snapshot()
    assert snap.output_tokens == 40
    assert snap.tokens_from_usage is True
    assert snap.model == "claude-x"
    assert snap.describe().startswith("40 tokens · ")
    assert "(counted)" not in snap.describe()
    assert snap.describe().endswith(" · claude-x")


def test_usage_from_several_model_calls_adds_up(clock: FakeClock) -> None:
    metrics = StreamMetrics("m", clock=clock)
    metrics.start()
    metrics(usage(30))
    metrics(usage(None))  # a usage event without a count changes nothing
    metrics(usage(12))
    snap = metrics.snapshot()
    assert snap.output_tokens == 42
    assert snap.model == "m"  # an empty model name in usage keeps the known one


def test_usage_of_zero_tokens_is_reported_as_usage(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics.start()
    metrics(delta())
    metrics(usage(0))
    snap = metrics.snapshot()
    assert snap.output_tokens == 0
    assert snap.tokens_from_usage is True


def test_elapsed_is_frozen_after_idle(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics.start()
    clock.advance(0.25)
    for _ in range(10):
        metrics(delta())
        clock.advance(0.125)
    metrics(delta())
    clock.advance(0.5)
    metrics(Idle(aborted=False))
    done = metrics.snapshot()
    assert done.running is False
    assert done.elapsed == pytest.approx(2.0)
    # Rate over the generation span (first to last delta), not up to the idle event.
    assert done.tokens_per_second == pytest.approx(11 / 1.25)
    clock.advance(60.0)
    later = metrics.snapshot()
    assert later == done
    metrics(Idle(aborted=False))  # a second idle does not move the end
    assert metrics.snapshot().elapsed == pytest.approx(2.0)


def test_session_failure_also_stops_the_clock(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics.start()
    clock.advance(3.0)
    metrics(SessionFailed("boom", "error", None))
    clock.advance(10.0)
    snap = metrics.snapshot()
    assert snap.running is False
    assert snap.elapsed == pytest.approx(3.0)


def test_idle_before_start_is_ignored(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics(Idle(aborted=True))
    assert metrics.snapshot().running is False
    metrics(delta())  # a delta with no start starts the clock itself
    clock.advance(1.0)
    snap = metrics.snapshot()
    assert snap.running is True
    assert snap.elapsed == pytest.approx(1.0)
    assert snap.time_to_first_token == pytest.approx(0.0)


def test_turn_started_starts_the_clock_only_once(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics(TurnStarted("t1"))
    clock.advance(1.0)
    metrics(TurnStarted("t2"))  # a second turn (after a tool call) does not restart it
    clock.advance(1.0)
    metrics(delta())
    snap = metrics.snapshot()
    assert snap.time_to_first_token == pytest.approx(2.0)
    assert snap.elapsed == pytest.approx(2.0)


def test_start_resets_everything(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics.start()
    metrics(delta())
    metrics(usage(9))
    metrics(Idle(aborted=False))
    clock.advance(5.0)
    metrics.start()
    snap = metrics.snapshot()
    assert snap.output_tokens == 0
    assert snap.tokens_from_usage is False
    assert snap.time_to_first_token is None
    assert snap.running is True
    assert snap.elapsed == 0.0


def test_single_delta_has_no_rate_yet(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics.start()
    clock.advance(0.3)
    metrics(delta())
    snap = metrics.snapshot()
    assert snap.tokens_per_second is None
    assert "– tok/s" in snap.describe()


def test_rate_while_running_uses_the_current_time(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics.start()
    for _ in range(10):
        metrics(delta())
    clock.advance(2.0)
    assert metrics.snapshot().tokens_per_second == pytest.approx(5.0)
    clock.advance(2.0)
    assert metrics.snapshot().tokens_per_second == pytest.approx(2.5)


def test_no_rate_for_a_short_reply_or_a_handful_of_tokens(clock: FakeClock) -> None:
    quick = StreamMetrics(clock=clock)
    quick.start()
    for _ in range(50):  # 50 tokens in half a second: too short to say a rate
        quick(delta())
        clock.advance(0.01)
    quick(Idle(aborted=False))
    assert quick.snapshot().tokens_per_second is None and "– tok/s" in quick.snapshot().describe()
    few = StreamMetrics(clock=clock)
    few.start()
    for _ in range(MIN_RATE_TOKENS - 1):  # a handful of tokens over seconds
        few(delta())
        clock.advance(1.0)
    few(delta())
    few(Idle(aborted=False))
    assert few.snapshot().output_tokens == MIN_RATE_TOKENS and few.snapshot().tokens_per_second is not None
    few.start()
    few(delta())
    clock.advance(MIN_RATE_SECONDS * 5)
    few(delta())
    few(Idle(aborted=False))
    assert few.snapshot().tokens_per_second is None


def prompt(prompt_id: str) -> PermissionPrompt:
    return PermissionPrompt(prompt_id, RequestKind.SHELL, "c1", "Run a command", "ls")


def test_waiting_for_an_approval_is_not_the_model_s_time(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics.start()
    clock.advance(0.5)  # the model asks for a tool at once
    metrics(PermissionAsked(prompt("p1")))
    clock.advance(1.0)
    metrics(PermissionAsked(prompt("p2")))  # two at once: the wait is counted once
    clock.advance(29.0)
    metrics(PermissionAnswered(prompt("p1"), Answer(Choice.ALLOW_ONCE)))
    clock.advance(10.0)
    metrics(PermissionAnswered(prompt("p2"), Answer(Choice.DENY)))
    clock.advance(0.3)
    metrics(delta())
    assert metrics.snapshot().time_to_first_token == pytest.approx(0.8)
    for _ in range(9):
        clock.advance(0.25)
        metrics(delta())
    metrics(PermissionAsked(prompt("p3")))  # another, mid-reply: not in the rate either
    clock.advance(100.0)
    metrics(PermissionAnswered(prompt("p3"), Answer(Choice.ALLOW_ONCE)))
    clock.advance(0.25)
    metrics(delta())
    metrics(Idle(aborted=False))
    snap = metrics.snapshot()
    assert snap.time_to_first_token == pytest.approx(0.8)
    assert snap.tokens_per_second == pytest.approx(11 / 2.5)
    assert snap.elapsed == pytest.approx(0.5 + 40.3 + 2.5 + 100)  # the wall clock, waits and all


def test_a_request_still_waiting_when_the_reply_ends_stops_counting(clock: FakeClock) -> None:
    metrics = StreamMetrics(clock=clock)
    metrics.start()
    for _ in range(10):
        metrics(delta())
        clock.advance(0.2)
    metrics(PermissionAsked(prompt("p1")))
    clock.advance(5.0)
    metrics(Idle(aborted=True))
    clock.advance(50.0)
    assert metrics.snapshot().tokens_per_second == pytest.approx(10 / 1.8)
    metrics(PermissionAnswered(prompt("p1"), Answer(Choice.DENY)))  # late: changes nothing
    assert metrics.snapshot().tokens_per_second == pytest.approx(10 / 1.8)


def test_clear_forgets_the_reply(clock: FakeClock) -> None:
    metrics = StreamMetrics("m", clock=clock)
    metrics.start()
    metrics(delta())
    metrics(Idle(aborted=False))
    metrics.clear()
    assert metrics.snapshot().describe() == NO_REPLY


def test_a_saved_reply_s_figures() -> None:
    snap = saved_figures("gpt-5", 340, 11_200.0, 1_200.0)
    assert snap.saved and not snap.running
    assert snap.describe() == "Last reply: 1.2 s to first token · 34 tok/s · 340 tokens · gpt-5"
    assert saved_figures("", 5, 3000.0, 100.0).describe() == "Last reply: 0.1 s to first token · 5 tokens"
    assert saved_figures("m", 100, 500.0, 100.0).tokens_per_second is None  # under a second
    assert saved_figures("", None, None, None).describe() == "Last reply: no figures kept"
    assert saved_figures("m", 40, 2000.0, None).describe() == "Last reply: 20 tok/s · 40 tokens · m"


@dataclass(frozen=True)
class Saved:
    model: str = ""
    output_tokens: int | None = None
    duration_ms: float | None = None
    ttft_ms: float | None = None


def test_the_last_reply_with_figures_is_shown() -> None:
    assert last_reply_figures([]).describe() == NO_REPLY
    replies = [Saved("a", 100, 3000.0, 500.0), Saved("b", 20, None, 250.0), Saved("c")]
    assert last_reply_figures(replies).describe() == "Last reply: 0.2 s to first token · 20 tokens · b"
    assert last_reply_figures([Saved("x")]).describe() == "Last reply: no figures kept · x"


@given(
    st.one_of(st.none(), st.integers(min_value=-(10**6), max_value=10**12)),
    st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e15)),
    st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e15)),
)
def test_any_saved_figures_make_a_sane_line(
    tokens: int | None, duration: float | None, ttft: float | None
) -> None:
    snap = saved_figures("m", tokens, duration, ttft)
    assert snap.describe().startswith("Last reply: ") and "\n" not in snap.describe()
    assert snap.tokens_per_second is None or snap.tokens_per_second > 0
    assert snap.time_to_first_token is None or snap.time_to_first_token >= 0


@pytest.mark.parametrize(
    ("snapshot", "text"),
    [
        (
            MetricsSnapshot("m", 120, True, 45.678, 0.3456, 3.04, False),
            "120 tokens · 45.7 tok/s · first token 0.35 s · 3.0 s · m",
        ),
        (
            MetricsSnapshot("", 3, False, None, None, 0.0, True),
            "3 tokens (counted) · – tok/s · first token – · 0.0 s",
        ),
        (
            MetricsSnapshot("", 0, False, 0.0, 0.0, 1.26, True),
            "0 tokens (counted) · – tok/s · first token 0.00 s · 1.3 s",
        ),
    ],
)
def test_describe(snapshot: MetricsSnapshot, text: str) -> None:
    assert snapshot.describe() == text


def test_one_token_is_singular_and_large_counts_are_grouped() -> None:
    one = MetricsSnapshot("m", 1, True, None, None, 0.2, False)
    many = MetricsSnapshot("m", 12_345, False, 10.0, 0.5, 9.0, False)
    assert one.describe().startswith("1 token · ")
    assert many.describe().startswith("12,345 tokens (counted) · ")
