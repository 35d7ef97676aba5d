"""WCAG 2 contrast between two colours, so theme colours can be checked to be readable.

Colours are ``#rrggbb`` (or ``#rgb``) names, as the themes and Qt's ``QColor.name()`` write them.
"""

from __future__ import annotations

READABLE = 4.5  # WCAG AA for body text


def parse_hex(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` or ``#rgb`` as three 0-255 channels; anything else raises ValueError."""
    text = colour.strip().removeprefix("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG's relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_linear(c) for c in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """1 (the same colour) to 21 (black on white), whichever order they come in."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(foreground: str, background: str, minimum: float = READABLE) -> bool:
    """Does text in ``foreground`` on ``background`` meet WCAG AA (4.5:1)?"""
    return contrast_ratio(foreground, background) >= minimum
