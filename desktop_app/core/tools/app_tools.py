"""The app's own tools as SDK tools: ``calculate`` and ``current_time``.

Both run no commands and touch no files, so they are marked ``skip_permission``; everything the
CLI's built-in tools do is asked for. Building them imports the SDK and pydantic, so it happens
only once the SDK is loaded (off the start-up path).

No ``from __future__ import annotations`` here: the SDK reads the handlers' parameter types at
runtime, and those are classes local to ``build_tools``.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop_app.core.tools.calculator import CalculationError, calculate, format_result

APP_TOOL_NAMES = ("calculate", "current_time")


def calculate_text(expression: str) -> tuple[str, str | None]:
    """(text for the model, error or None)."""
    try:
        return format_result(calculate(expression)), None
    except CalculationError as exc:
        return f"Error: {exc}", str(exc)


def current_time_text(timezone: str | None, now: datetime | None = None) -> tuple[str, str | None]:
    try:
        zone = ZoneInfo(timezone) if timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        return f"Error: unknown time zone {timezone!r}", f"unknown time zone {timezone!r}"
    moment = (now or datetime.now().astimezone()).astimezone(zone)
    return moment.strftime("%A %d %B %Y, %H:%M:%S %Z (UTC%z)"), None


def build_tools() -> list[Any]:
    """The SDK ``Tool`` objects offered in every session."""
    from copilot import define_tool
    from copilot.tools import ToolResult
    from pydantic import BaseModel, Field

    def result(text: str, error: str | None) -> Any:
        if error is None:
            return text
        return ToolResult(text_result_for_llm=text, result_type="failure", error=error)

    class CalculateParams(BaseModel):
        expression: str = Field(
            description="An arithmetic expression, e.g. (25 * 4 + 10) / 3. Use ** for powers; "
            "sqrt, log, sin, cos, pi and e are available."
        )

    class TimeParams(BaseModel):
        timezone: str | None = Field(
            default=None, description="An IANA time zone such as Europe/Paris; the user's own if omitted."
        )

    def run_calculate(params: CalculateParams, invocation: Any) -> Any:
        return result(*calculate_text(params.expression))

    def run_current_time(params: TimeParams, invocation: Any) -> Any:
        return result(*current_time_text(params.timezone))

    return [
        define_tool(
            "calculate",
            description="Evaluate an arithmetic expression exactly. Use it for any calculation.",
            handler=run_calculate,
            params_type=CalculateParams,
            skip_permission=True,
        ),
        define_tool(
            "current_time",
            description="The current date and time, in the user's time zone or a given one.",
            handler=run_current_time,
            params_type=TimeParams,
            skip_permission=True,
        ),
    ]
