"""Which ``user.message`` event of a Copilot session is the store's n-th prompt.

Edit, Regenerate and Branch from here fork the session at a prompt, so the app must find that
prompt's event. Usually the two lists are the same length and in the same order, but not always:
a prompt whose send failed before the CLI took it is in the store only, and a session imported from
the terminal, or compacted, may hold prompts the store lacks. So the two are aligned by their text
(``difflib``'s longest matching blocks), and a prompt with no event of the same text has none.
No Qt.
"""

from __future__ import annotations

from collections.abc import Sequence

KEY_CHARS = 400  # enough to tell prompts apart; bounded so a pasted book aligns as fast as a word


def _key(text: str) -> str:
    return " ".join(text.split())[:KEY_CHARS]


def align(prompts: Sequence[str], events: Sequence[tuple[str, str]]) -> dict[int, str]:
    """By the index of each prompt that has one: the id of its ``user.message`` event."""
    import difflib  # here: start-up does not pay for it (the app imports it once the window shows)

    matcher = difflib.SequenceMatcher(
        None, [_key(p) for p in prompts], [_key(text) for _id, text in events], autojunk=False
    )
    found: dict[int, str] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            found[block.a + k] = events[block.b + k][0]
    return found


def event_of(prompts: Sequence[str], events: Sequence[tuple[str, str]], index: int) -> str | None:
    """The event of ``prompts[index]``, or None when the session has no such prompt."""
    return align(prompts, events).get(index)
