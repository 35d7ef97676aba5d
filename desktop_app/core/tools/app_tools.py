"""The app's own tools as SDK tools: ``calculate`` and ``current_time``.

Both run no commands and touch no files, so they are marked ``skip_permission``; everything the
CLI's built-in tools do is asked for. Building them imports the SDK and pydantic, so it happens
only once the SDK is loaded (off the start-up path).

Their arguments come from the model, so every failure is an answer the model can read and act on
("unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Paris"): a ``failure`` result,
never an exception into the SDK (which would tell the model only that "an error" happened).

No ``from __future__ import annotations`` here: the SDK reads the handlers' parameter types at
runtime, and those are classes local to ``build_tools``.
"""

import functools
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from desktop_app.core.tools.calculator import CalculationError, calculate, format_result

APP_TOOL_NAMES = ("calculate", "current_time")
log = logging.getLogger(__name__)
# IANA keys: "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "EST5EDT".
_ZONE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9][A-Za-z0-9_+\-]*){0,3}")
MAX_ZONE_LENGTH = 64


def calculate_text(expression: str) -> tuple[str, str | None]:
    """(text for the model, error or None)."""
    try:
        return format_result(calculate(expression)), None
    except CalculationError as exc:
        return f"Error: {exc}", str(exc)


@functools.cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def _zone(name: str) -> ZoneInfo | None:
    """The zone ``name`` names, or None: never a file outside the time zone database."""
    if len(name) > MAX_ZONE_LENGTH or not _ZONE_KEY.fullmatch(name):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, OSError, ValueError):  # not found, a folder ("Europe"), a bad key
        return None


def current_time_text(timezone: str | None, now: datetime | None = None) -> tuple[str, str | None]:
    zone = None
    if timezone:  # left out (or empty): the user's own zone
        zone = _zone(timezone.strip())
        if zone is None:
            close = _zones_by_lower_name().get(timezone.strip().lower()) if len(timezone) < 100 else None
            hint = f"did you mean {close!r}? " if close else ""
            error = f"unknown time zone {timezone[:80]!r}"
            advice = "use an IANA name such as Europe/Paris, or leave it out for the user's own zone"
            return f"Error: {error}; {hint}{advice}.", error
    moment = (now or datetime.now().astimezone()).astimezone(zone)
    return moment.strftime("%A %d %B %Y, %H:%M:%S %Z (UTC%z)"), None


def guarded(tool: str, run: Callable[..., tuple[str, str | None]], *args: Any) -> tuple[str, str | None]:
    """``run(*args)``, or for anything it raises an error the model can read (no traceback)."""
    try:
        return run(*args)
    except Exception as exc:  # a bug of ours must still reach the model as an answer
        log.warning("The %s tool failed: %s", tool, type(exc).__name__, exc_info=True)
        error = f"the {tool} tool failed ({type(exc).__name__})"
        return f"Error: {error}. Try other arguments, or answer without the tool.", error


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
        return result(*guarded("calculate", calculate_text, params.expression))

    def run_current_time(params: TimeParams, invocation: Any) -> Any:
        return result(*guarded("current_time", current_time_text, params.timezone))

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
