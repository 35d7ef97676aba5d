"""The tool panel's nesting of sub-agents' calls under the call that started them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.conversation.call_tree import nested_order
from desktop_app.core.conversation.tool_calls import ToolCall


def test_a_sub_agents_calls_sit_under_its_task_call() -> None:
    calls = [
        ToolCall("task1", "task"),
        ToolCall("view1", "view", parent_id="task1"),
        ToolCall("bash1", "bash"),
        ToolCall("grep1", "grep", parent_id="task1"),
        ToolCall("inner", "view", parent_id="grep1"),
    ]
    assert nested_order(calls) == [("task1", 0), ("view1", 1), ("grep1", 1), ("inner", 2), ("bash1", 0)]


def test_an_unknown_parent_or_a_loop_still_shows_every_call() -> None:
    calls = [
        ToolCall("a", "x", parent_id="b"),
        ToolCall("b", "x", parent_id="a"),
        ToolCall("c", "x", parent_id="zz"),
    ]
    assert sorted(call_id for call_id, _depth in nested_order(calls)) == ["a", "b", "c"]


@given(st.lists(st.integers(0, 12), max_size=25))
def test_every_call_once_parents_first(parents: list[int]) -> None:
    calls = [ToolCall(f"c{k}", "t", parent_id=f"c{p}" if p != k else "") for k, p in enumerate(parents)]
    order = nested_order(calls)
    assert sorted(call_id for call_id, _ in order) == sorted(c.id for c in calls)
    position = {call_id: k for k, (call_id, _) in enumerate(order)}
    depth = dict(order)
    for call in calls:
        parent = call.parent_id
        if parent in position and depth[call.id] > 0:
            assert position[parent] < position[call.id] and depth[call.id] == depth[parent] + 1
