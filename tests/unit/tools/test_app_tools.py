"""The app's own tools, as the model calls them (the SDK's Tool objects included)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from zoneinfo import available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.tools import app_tools
from desktop_app.core.tools.app_tools import APP_TOOL_NAMES, build_tools, calculate_text, current_time_text


def test_calculate_text_answers_or_explains() -> None:
    assert calculate_text("25 * 4 + 10") == ("110", None)
    text, error = calculate_text("__import__('os')")
    assert text.startswith("Error: ") and error is not None and "not allowed" in error


def test_current_time_in_a_given_zone() -> None:
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    text, error = current_time_text("Europe/Paris", now=noon)
    assert error is None and text.startswith("Tuesday 24 November 2026, 13:00:00 CET")
    text, error = current_time_text(None, now=noon)
    assert error is None and "2026" in text


def test_an_unknown_zone_is_an_error_not_a_crash() -> None:
    for zone in ("Mars/Olympus", "../../etc/passwd", ""):
        text, error = current_time_text(zone or "  ")
        assert error is not None and text.startswith("Error")


def test_the_sdk_tools_are_safe_and_named() -> None:
    tools = build_tools()
    assert tuple(t.name for t in tools) == APP_TOOL_NAMES
    assert all(t.skip_permission for t in tools)


# -- every failure is an answer the model can read -------------------------------------------------------
@pytest.mark.parametrize(
    "zone",
    [
        "Mars/Olympus",
        "Europe",
        ".",
        "a" * 5000,
        "Europe/Paris\x00",
        "/etc/passwd",
        "../../etc/passwd",
        "Europe/../Europe/Paris",
        "\ud800",
        "zoneinfo",
        "tzdata/zoneinfo/UTC",
        "Europe/Paris/",
    ],
)
def test_a_bad_zone_is_a_clear_tool_error(zone: str) -> None:
    text, error = current_time_text(zone)
    assert error is not None and error.startswith("unknown time zone")
    assert text.startswith("Error: unknown time zone") and "IANA name such as Europe/Paris" in text
    assert len(text) < 400


def test_a_zone_in_the_wrong_case_gets_a_suggestion() -> None:
    text, error = current_time_text("europe/paris")
    assert error is not None and "did you mean 'Europe/Paris'?" in text


def test_zones_the_database_has_are_found() -> None:
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    for zone, expected in [
        ("UTC", "12:00"),
        ("Etc/GMT+5", "07:00"),
        ("America/Argentina/Buenos_Aires", "09:00"),
    ]:
        text, error = current_time_text(zone, now=noon)
        assert error is None and expected in text, text
    assert current_time_text(" Asia/Tokyo ", now=noon)[0].startswith("Tuesday 24 November 2026, 21:00")


def _tools() -> dict[str, Any]:
    return {t.name: t for t in build_tools()}


def _call(tool: Any, arguments: Any) -> Any:
    from copilot.tools import ToolInvocation

    invocation = ToolInvocation(session_id="s", tool_call_id="c", tool_name=tool.name, arguments=arguments)
    return asyncio.run(tool.handler(invocation))


def _assert_readable(result: Any) -> None:
    from copilot.tools import ToolResult

    assert isinstance(result, ToolResult)
    assert result.result_type in ("success", "failure")
    assert not result._from_exception, result.error  # our handler raised: the model would learn nothing
    assert result.text_result_for_llm.strip()
    assert "Traceback" not in result.text_result_for_llm
    if result.result_type == "failure":
        assert result.text_result_for_llm.startswith(("Error: ", "Invalid tool arguments"))


def test_a_bad_zone_reaches_the_model_as_a_failure_result() -> None:
    result = _call(_tools()["current_time"], {"timezone": "Europe"})
    _assert_readable(result)
    assert result.result_type == "failure"
    assert "unknown time zone 'Europe'" in result.text_result_for_llm


@pytest.mark.expected_warnings
def test_a_bug_in_a_tool_still_reaches_the_model_as_a_readable_error(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(expression: str) -> tuple[str, str | None]:
        raise RecursionError("deep inside")

    monkeypatch.setattr(app_tools, "calculate_text", broken)
    result = _call(_tools()["calculate"], {"expression": "1+1"})
    _assert_readable(result)
    assert result.result_type == "failure"
    assert "the calculate tool failed (RecursionError)" in result.text_result_for_llm
    assert "deep inside" not in result.text_result_for_llm
    assert "The calculate tool failed" in caplog.text


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=10,
)
ARGUMENTS = (
    JSON
    | st.fixed_dictionaries({"expression": JSON | st.text(max_size=60)})
    | st.fixed_dictionaries({"timezone": JSON | st.text(max_size=60)})
    | st.fixed_dictionaries({"timezone": st.sampled_from(sorted(available_timezones())[:50])})
)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(APP_TOOL_NAMES), arguments=ARGUMENTS)
def test_any_arguments_get_a_readable_answer(name: str, arguments: Any) -> None:
    _assert_readable(_call(_tools()[name], arguments))
