"""Colours of the conversation view, light and dark, chosen from the system palette."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Theme:
    name: str
    pygments_style: str
    code_background: str
    inline_code_background: str
    table_header: str
    user_background: str
    user_label: str
    assistant_label: str
    muted: str
    notices: dict[str, str] = field(default_factory=dict)


LIGHT = Theme(
    name="light",
    pygments_style="default",
    code_background="#f3f4f6",
    inline_code_background="#eff1f3",
    table_header="#f0f0f0",
    user_background="#eef2ff",
    user_label="#1f4bb8",
    assistant_label="#6e40c9",
    muted="#6a737d",
    notices={"error": "#fdecea", "warning": "#fff4e5", "info": "#eef6fb"},
)

DARK = Theme(
    name="dark",
    pygments_style="github-dark",
    code_background="#161b22",
    inline_code_background="#2d333b",
    table_header="#2d333b",
    user_background="#1f2a44",
    user_label="#8fb3ff",
    assistant_label="#c3a6ff",
    muted="#9aa4ad",
    notices={"error": "#4a1f1f", "warning": "#4a3a14", "info": "#17303f"},
)


def theme_for(background_lightness: int) -> Theme:
    """The theme for a window background of this HSL lightness (0-255)."""
    return DARK if background_lightness < 128 else LIGHT
