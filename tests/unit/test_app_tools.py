"""The app's own tools, as the model calls them (the SDK's Tool objects included)."""

from __future__ import annotations

from datetime import UTC, datetime

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
