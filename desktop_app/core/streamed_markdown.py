"""One streaming reply rendered block by block, reference-style links resolved across blocks.

Finished blocks are rendered once each (so a long reply costs only its open tail per frame), all
with one set of link definitions. A definition can come after the link that uses it ("See
[the docs][1]." ... "[1]: https://…"): the finished blocks that use it are then rendered again, so
the link works while the reply still streams. Models seldom write definitions, so this is rare.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from desktop_app.core.markdown_render import References

Render = Callable[[str, References], str]


class StreamedMarkdown:
    def __init__(self, render: Render) -> None:
        self._render = render
        self.references: References = {}
        self.blocks: list[str] = []  # the finished blocks' markdown
        self.html: list[str] = []  # and their HTML, in step

    def add(self, blocks: list[str]) -> bool:
        """Render newly finished blocks; True when that changed the HTML of blocks finished before
        (a new definition they use): the caller then replaces all of ``html``, not just the new."""
        if not blocks:
            return False
        earlier = len(self.blocks)
        known = set(self.references)
        for block in blocks:
            self.blocks.append(block)
            self.html.append(self._render(block, self.references))
        new = set(self.references) - known
        if not new:
            return False
        uses = re.compile("|".join(rf"\[{re.escape(label)}\]" for label in new), re.IGNORECASE)
        changed_earlier = False
        for index, block in enumerate(self.blocks):
            if uses.search(block):
                self.html[index] = self._render(block, self.references)
                changed_earlier = changed_earlier or index < earlier
        return changed_earlier
