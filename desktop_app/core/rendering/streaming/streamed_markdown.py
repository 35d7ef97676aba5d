"""One streaming reply rendered block by block, reference-style links resolved across blocks.

Finished blocks are rendered once each (so a long reply costs only its open tail per frame), all
with one set of link definitions. A definition can come after the link that uses it ("See
[the docs][1]." ... "[1]: https://…"): the finished blocks that use it are then rendered again, so
the link works while the reply still streams.

That costs linear work however many definitions come late: each block's bracketed labels are
indexed once, when it is added, so a new definition finds the blocks that use it without scanning
the others, and a block is rendered again at most once per batch of new blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice

from desktop_app.core.rendering.markdown_render import References

Render = Callable[[str, References], str]

# What may be a reference label: brackets around text without brackets (CommonMark: ≤ 999 chars).
LABEL_RE = re.compile(r"\[([^\[\]]{1,999})\]")


def label_key(label: str) -> str:
    """A label as definitions are looked up: case and runs of white space do not matter."""
    return " ".join(label.lower().split())


class StreamedMarkdown:
    def __init__(self, render: Render) -> None:
        self._render = render
        self.references: References = {}
        self.blocks: list[str] = []  # the finished blocks' markdown
        self.html: list[str] = []  # and their HTML, in step
        self.changed: list[int] = []  # blocks from before the last ``add`` that it rendered again
        self._labels: list[set[str]] = []  # each block's bracketed label keys
        self._users: dict[str, list[int]] = {}  # label key -> blocks that bracket it, in order
        self._defined: dict[str, list[str]] = {}  # label key -> the definitions' ids (as markdown keeps them)

    def add(self, blocks: list[str]) -> bool:
        """Render newly finished blocks; True when that changed the HTML of blocks finished before
        (a new definition they use; they are listed in ``changed``): the caller then replaces
        those, or all of ``html``, not just the new."""
        self.changed = []
        if not blocks:
            return False
        earlier = len(self.blocks)
        redo: set[int] = set()
        for block in blocks:
            index = len(self.blocks)
            self.blocks.append(block)
            labels = {label_key(m.group(1)) for m in LABEL_RE.finditer(block)}
            self._labels.append(labels)
            for label in labels:
                self._users.setdefault(label, []).append(index)
            html, defined = self._render_block(index)
            self.html.append(html)
            for label in defined:
                for user in self._users.get(label, ()):
                    if user >= index:
                        break  # this block and later ones were rendered with the definition
                    redo.add(user)
        for index in sorted(redo):
            self.html[index] = self._render_block(index)[0]
        self.changed = [index for index in sorted(redo) if index < earlier]
        return bool(self.changed)

    def _render_block(self, index: int) -> tuple[str, set[str]]:
        """One block's HTML, and the label keys it newly defines.

        The block is handed only the definitions of labels it brackets, so a render costs its
        own size, not the number of definitions the reply made so far."""
        given: References = {}
        for label in self._labels[index]:
            for key in self._defined.get(label, ()):
                given[key] = self.references[key]
        known = len(given)
        html = self._render(self.blocks[index], given)
        defined: set[str] = set()
        # Definitions only ever add keys at the end (a dict keeps insertion order).
        for key in islice(reversed(given), len(given) - known):
            if key not in self.references:
                label = label_key(key)
                self._defined.setdefault(label, []).append(key)
                defined.add(label)
            self.references.setdefault(key, given[key])
        return html, defined
