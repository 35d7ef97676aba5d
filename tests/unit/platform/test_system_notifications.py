"""A notification's text can hold no markup a notification server would read (body-markup)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.platform.system_notifications import markup_free


def test_tags_and_entities_become_text() -> None:
    shown = markup_free('rm -rf <img src="file:///dev/zero"> &amp; <a href="https://x">y</a>')
    assert "<" not in shown and ">" not in shown and "&" not in shown
    assert shown.startswith("rm -rf ‹img src=")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_text_keeps_a_markup_character(text: str) -> None:
    shown = markup_free(text)
    assert not set(shown) & {"<", ">", "&"}
    assert len(shown) == len(text)  # nothing dropped: one lookalike for each
