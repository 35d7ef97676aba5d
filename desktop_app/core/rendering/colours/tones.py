"""The colours the window's widgets draw with (banner, warnings, badges, search highlights), per theme.

The conversation's own colours are in ``rendering.theme``; these are for the widgets around it. Each
text colour is readable (WCAG AA) on the background it is drawn on, in its theme (unit-tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.core.rendering.theme import DARK, LIGHT


@dataclass(frozen=True)
class Tones:
    name: str
    window: str  # the reference palette's window background (what the texts below sit on)
    text: str  # the reference palette's text colour
    muted: str  # secondary text: dates, hints
    warning_text: str  # "this command writes outside the folder" and the like
    error_text: str  # a refusal, a failure
    demo_badge: str  # the toolbar's "Demo model" badge
    search_match: str  # background of a matched word in search results (under ``text``)
    notice_background: dict[str, str] = field(default_factory=dict)  # banner, by level
    notice_text: dict[str, str] = field(default_factory=dict)


LIGHT_TONES = Tones(
    name="light",
    window="#efefef",
    text="#1f2328",
    muted="#57606a",
    warning_text="#8a4600",
    error_text="#b42318",
    demo_badge="#8a4b00",
    search_match=LIGHT.find_match,
    notice_background=dict(LIGHT.notices),
    notice_text={"info": "#0b3d5c", "warning": "#663c00", "error": "#5f2120"},
)

DARK_TONES = Tones(
    name="dark",
    window="#202124",
    text="#e8eaed",
    muted="#9aa4ad",
    warning_text="#f0b45b",
    error_text="#ff8a80",
    demo_badge="#f0b45b",
    search_match=DARK.find_match,
    notice_background=dict(DARK.notices),
    notice_text={"info": "#cde7f7", "warning": "#ffe2b3", "error": "#ffd2cf"},
)

LEVELS = ("info", "warning", "error")


def tones_for(background_lightness: int) -> Tones:
    """The tones for a window background of this HSL lightness (0-255), as ``theme_for`` decides."""
    return DARK_TONES if background_lightness < 128 else LIGHT_TONES
