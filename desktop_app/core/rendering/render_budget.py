"""A rendering budget, so no reply can stall the window: too deep or too slow markdown is plain text.

Python-Markdown's inline patterns are quadratic in unclosed brackets (5,000 ``[`` take seconds),
and deep lists or quotes cost much more than their size. A cheap check of nesting depth runs
before each render; a render that still takes longer than the budget is remembered (by a hash of
its text), so that text is shown as plain text from then on, without paying again.
"""

from __future__ import annotations

import hashlib
import html
import re
import time
from collections.abc import Callable

from desktop_app.core.rendering import fences

MAX_DEPTH = 64  # unclosed brackets or parentheses, quote markers, list levels
FLOOR_S = 0.025  # any block may take this long (a frame or two)
PER_KB_S = 0.008  # and this much more per KB of its text
_MAX_REMEMBERED = 4096

_QUOTES_RE = re.compile(rf"^(?:[ \t]*>){{{MAX_DEPTH},}}", re.MULTILINE)
_DEEP_ITEM_RE = re.compile(rf"^[ \t]{{{2 * MAX_DEPTH},}}(?:[-*+]|\d{{1,9}}[.)])(?: |$)", re.MULTILINE)
_BRACKETS_RE = re.compile(r"[\[\]()]|\n[ \t]*\n")  # and paragraph breaks, where nesting ends


def _outside_fences(text: str) -> str:
    """The text without its fenced code (which markdown leaves alone, so its brackets cost nothing)."""
    kept: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is None:
            fence = fences.opening(line)
            if fence is None:
                kept.append(line)
        elif fences.closes(line, fence):
            fence = None
    return "\n".join(kept)


def _bracket_depth(text: str) -> int:
    """The most brackets or parentheses open at once in one paragraph (a closer with none open is
    ignored)."""
    square = round_ = deepest = 0
    for match in _BRACKETS_RE.finditer(text):
        char = match.group(0)
        if char[0] == "\n":
            square = round_ = 0
        elif char == "[":
            square += 1
        elif char == "]":
            square = max(0, square - 1)
        elif char == "(":
            round_ += 1
        else:
            round_ = max(0, round_ - 1)
        deepest = max(deepest, square, round_)
    return deepest


def too_deep(text: str) -> bool:
    """True when markdown would nest deeper than :data:`MAX_DEPTH`; cheap for ordinary text."""
    deep_blocks = _QUOTES_RE.search(text) or _DEEP_ITEM_RE.search(text)
    many_brackets = text.count("[") + text.count("(") >= MAX_DEPTH
    if not (deep_blocks or many_brackets):
        return False  # the common case, at the cost of two regex scans
    prose = _outside_fences(text)  # code in a fence may nest as it likes: markdown leaves it alone
    if deep_blocks and (_QUOTES_RE.search(prose) or _DEEP_ITEM_RE.search(prose)):
        return True
    return many_brackets and _bracket_depth(prose) >= MAX_DEPTH


def plain_html(text: str) -> str:
    """The text as it is, escaped, line breaks kept."""
    body = html.escape(text.strip("\n")).replace("\n", "<br>")
    return f"<p>{body}</p>"


def budget_s(text: str) -> float:
    return FLOOR_S + PER_KB_S * len(text) / 1024


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class RenderBudget:
    """Remembers which texts were too slow to render; the renderer shows those as plain text."""

    def __init__(self, clock: Callable[[], float] = time.thread_time) -> None:
        # The thread's CPU time: what the text costs to render, not how busy the machine is (a
        # loaded machine must not turn ordinary replies into plain text).
        self.clock = clock
        self._slow: dict[bytes, None] = {}  # insertion-ordered: the oldest are forgotten first
        self._slow_stream: str | None = None  # a streaming tail that was too slow

    def was_slow(self, text: str) -> bool:
        return _key(text) in self._slow

    def stream_was_slow(self, text: str) -> bool:
        """True when a shorter version of this streaming tail was already too slow."""
        return self._slow_stream is not None and text.startswith(self._slow_stream)

    def measure(self, text: str, started: float, streaming: bool = False) -> None:
        """Record a render of ``text`` that began at ``started`` (by :attr:`clock`); the caller times
        only the markdown parse (highlighting is linear, and a cold lexer is slow only once)."""
        if self.clock() - started <= budget_s(text):
            return
        if streaming:
            self._slow_stream = text
            return
        self._slow[_key(text)] = None
        if len(self._slow) > _MAX_REMEMBERED:
            del self._slow[next(iter(self._slow))]
