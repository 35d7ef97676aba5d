"""A lone surrogate (JSON's ``"\\ud800"`` from a model or a tool) never breaks sanitizing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.rendering import sanitize

SURROGATES = st.sampled_from(["\ud800", "\udfff", "\udbff\udc00"])


@given(st.lists(st.one_of(st.text(max_size=8), SURROGATES), max_size=12))
def test_every_sanitizer_takes_text_with_lone_surrogates(parts: list[str]) -> None:
    fragment = "<p>" + "".join(parts) + "</p>"
    for clean in (sanitize.for_view, sanitize.for_export, sanitize.for_page):
        out = clean(fragment)
        out.encode("utf-8")  # valid Unicode, whatever came in
        assert "\ufffd" in out or not any(p in ("\ud800", "\udfff", "\udbff\udc00") for p in parts)
