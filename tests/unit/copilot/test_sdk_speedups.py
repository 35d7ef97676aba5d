"""The SDK's event timestamps parsed by ``datetime``: the same instants dateutil gives, for every
form the CLI writes, and dateutil's answer for anything else."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta, timezone

import dateutil.parser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.copilot import sdk_speedups
from desktop_app.core.platform import gil

ZONES = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
AWARE = st.datetimes(datetime(1970, 1, 2), datetime(2200, 1, 1), timezones=st.sampled_from(ZONES))


@given(AWARE, st.sampled_from(["auto", "milliseconds", "microseconds", "seconds"]), st.booleans())
def test_every_iso_timestamp_is_the_instant_dateutil_reads(moment: datetime, spec: str, zulu: bool) -> None:
    text = moment.isoformat(timespec=spec)
    if zulu and moment.utcoffset() == timedelta(0):
        text = text.replace("+00:00", "Z")
    parse = sdk_speedups.iso_or(dateutil.parser.parse)
    assert parse(text) == dateutil.parser.parse(text)
    assert parse(text).utcoffset() == dateutil.parser.parse(text).utcoffset()


@pytest.mark.parametrize("text", ["2026-12-04 19:30", "Dec 4 2026 7:30pm", "20261204T193000"])
def test_what_datetime_does_not_take_as_aware_goes_to_the_sdk_parser(text: str) -> None:
    calls: list[str] = []

    def original(value: str) -> datetime:
        calls.append(value)
        return dateutil.parser.parse(value)

    assert sdk_speedups.iso_or(original)(text) == dateutil.parser.parse(text)
    assert calls == [text]


def test_the_sdk_parses_its_events_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from copilot.generated import session_events

    monkeypatch.setattr(session_events, "from_datetime", session_events.from_datetime)
    assert sdk_speedups.fast_event_timestamps()
    assert getattr(session_events.from_datetime, "fast", False)
    assert sdk_speedups.fast_event_timestamps()  # once: not wrapped again
    event = session_events.session_event_from_dict(
        {
            "id": "1a6e4b0e-7a53-4a1c-9b0f-1f2a3b4c5d6e",
            "timestamp": "2026-12-04T19:30:00.123Z",
            "parentId": None,
            "ephemeral": True,
            "type": "assistant.message_delta",
            "data": {"messageId": "m1", "deltaContent": "hi"},
        }
    )
    assert event.timestamp == datetime(2026, 12, 4, 19, 30, 0, 123000, tzinfo=UTC)


def test_starting_the_sdk_thread_shortens_the_switch_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    from copilot.generated import session_events

    monkeypatch.setattr(session_events, "from_datetime", session_events.from_datetime)
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        sdk_speedups.install()
        assert sys.getswitchinterval() == pytest.approx(gil.SWITCH_INTERVAL_S)
    finally:
        sys.setswitchinterval(before)
