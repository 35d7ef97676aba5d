"""WCAG contrast: the known figures, its symmetry and bounds, and the themes' highlights readable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.rendering.colours.contrast import (
    contrast_ratio,
    parse_hex,
    readable,
    relative_luminance,
)
from desktop_app.core.rendering.colours.tones import DARK_TONES, LEVELS, LIGHT_TONES, Tones, tones_for
from desktop_app.core.rendering.theme import DARK, LIGHT, Theme

hex_colours = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")


def test_black_on_white_is_21_and_a_colour_on_itself_is_1() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777", "#777777") == pytest.approx(1.0)


def test_a_known_pair() -> None:
    # WebAIM's checker: #767676 on white is 4.54:1, the lightest grey that passes AA.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert readable("#767676", "#ffffff")
    assert not readable("#777777", "#ffffff")


@given(hex_colours, hex_colours)
def test_ratio_is_symmetric_and_bounded(a: str, b: str) -> None:
    ratio = contrast_ratio(a, b)
    assert 1.0 <= ratio <= 21.0 + 1e-9
    assert ratio == pytest.approx(contrast_ratio(b, a))


@given(hex_colours)
def test_luminance_is_between_black_and_white(colour: str) -> None:
    assert 0.0 <= relative_luminance(colour) <= 1.0


@given(st.text(max_size=12))
def test_anything_but_a_hex_colour_is_refused(text: str) -> None:
    stripped = text.strip().removeprefix("#")
    if len(stripped) in (3, 6) and all(c in "0123456789abcdefABCDEF" for c in stripped):
        parse_hex(text)
    else:
        with pytest.raises(ValueError):
            parse_hex(text)


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_the_themes_find_highlights_are_readable_under_their_text(theme: Theme) -> None:
    text = "#1f2328" if theme.name == "light" else "#e8eaed"
    assert readable(text, theme.find_match)
    assert readable(text, theme.find_current)


@pytest.mark.parametrize("tones", [LIGHT_TONES, DARK_TONES], ids=["light", "dark"])
def test_every_widget_tone_is_readable_where_it_is_drawn(tones: Tones) -> None:
    for colour in (tones.text, tones.muted, tones.warning_text, tones.error_text, tones.demo_badge):
        assert readable(colour, tones.window), colour
    assert readable(tones.text, tones.search_match)
    for level in LEVELS:
        assert readable(tones.notice_text[level], tones.notice_background[level]), level


def test_tones_follow_the_background_as_the_theme_does() -> None:
    assert tones_for(30).name == "dark"
    assert tones_for(240).name == "light"
