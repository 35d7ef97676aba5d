"""The tool panel's order: each call under the call that started it (a sub-agent's calls under its
``task`` call, as deep as they go), otherwise in the order they started. No Qt.

A call whose parent is unknown (not in this conversation's timeline) stands at the top level rather
than disappearing; a parent chain that loops (a malformed event stream) is cut where it loops.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop_app.core.conversation.tool_calls import ToolCall


def nested_order(calls: Sequence[ToolCall]) -> list[tuple[str, int]]:
    """(call id, depth) for every call, parents before their children, children in start order."""
    ids = {call.id for call in calls}
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for call in calls:
        parent = call.parent_id
        if parent and parent in ids and parent != call.id:
            children.setdefault(parent, []).append(call.id)
        else:
            roots.append(call.id)
    order: list[tuple[str, int]] = []
    placed: set[str] = set()

    def place(call_id: str, depth: int) -> None:
        stack = [(call_id, depth)]
        while stack:
            current, level = stack.pop()
            if current in placed:
                continue
            placed.add(current)
            order.append((current, level))
            stack.extend((child, level + 1) for child in reversed(children.get(current, [])))

    for root in roots:
        place(root, 0)
    for call in calls:  # only a loop of parents is left: each of its calls at the top
        if call.id not in placed:
            place(call.id, 0)
    return order
