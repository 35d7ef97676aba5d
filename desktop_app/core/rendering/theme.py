"""Colours of the conversation view, light and dark, chosen from the system palette."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Theme:
    name: str
    pygments_style: str
    code_background: str
    code_header: str  # the strip above a code block with its language and copy icon
    inline_code_background: str
    table_header: str
    user_background: str  # the prompt's bubble
    user_label: str
    assistant_label: str
    muted: str
    border: str  # code blocks' and cards' outlines
    find_match: str  # every match of a find (a readable background under the theme's text)
    find_current: str  # the match the find is on
    notices: dict[str, str] = field(default_factory=dict)


LIGHT = Theme(
    name="light",
    pygments_style="default",
    code_background="#f6f8fa",
    code_header="#eaeef2",
    inline_code_background="#eff1f3",
    table_header="#f0f0f0",
    user_background="#eef2ff",
    user_label="#1f4bb8",
    assistant_label="#6e40c9",
    muted="#6a737d",
    border="#d0d7de",
    find_match="#fff3a3",
    find_current="#ffb340",
    notices={"error": "#fdecea", "warning": "#fff4e5", "info": "#eef6fb"},
)

DARK = Theme(
    name="dark",
    pygments_style="github-dark",
    code_background="#161b22",
    code_header="#21262d",
    inline_code_background="#2d333b",
    table_header="#2d333b",
    user_background="#263352",
    user_label="#8fb3ff",
    assistant_label="#c3a6ff",
    muted="#9aa4ad",
    border="#30363d",
    find_match="#5c4a00",  # dark enough that light text on it stays readable
    find_current="#9a5b00",
    notices={"error": "#4a1f1f", "warning": "#4a3a14", "info": "#17303f"},
)


def theme_for(background_lightness: int) -> Theme:
    """The theme for a window background of this HSL lightness (0-255)."""
    return DARK if background_lightness < 128 else LIGHT
